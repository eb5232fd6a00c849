import { createServer, type Server, type Socket } from 'node:net';
import { fetchItems, fetchResponse, partialOf } from './sandbox-imap-fetch.js';
import { imapDate, inSet, quote, type Token, text, tokenize } from './sandbox-imap-syntax.js';
import { type SandboxStore, type StoredMessage, sentFolderOf } from './sandbox-store.js';

const MAX_LINE = 64 * 1024;
const MAX_LITERAL = 40 * 1024 * 1024;
const IDLE_MS = 30 * 60_000;
const CAPABILITIES = 'IMAP4rev1 AUTH=PLAIN IDLE UIDPLUS LITERAL+ SPECIAL-USE NAMESPACE ID UNSELECT';

export { tokenize };

/**
 * A minimal IMAP4rev1 server (RFC 3501) over the sandbox store, good enough for imapflow and
 * mailroom's collector, IDLE watcher and Copy in Sent: CAPABILITY, LOGIN, AUTHENTICATE PLAIN,
 * LIST/LSUB (INBOX and a \Sent folder), SELECT/EXAMINE, STATUS, [UID] SEARCH (ALL, UID, SINCE,
 * HEADER), [UID] FETCH (UID FLAGS RFC822.SIZE INTERNALDATE BODY[]), [UID] STORE, EXPUNGE,
 * UID EXPUNGE, APPEND, IDLE, CLOSE, UNSELECT, NOOP, LOGOUT. Plain text on 127.0.0.1 only;
 * flags live in memory.
 */
export function createSandboxImap(store: SandboxStore): Server {
  const flags = new Map<string, Set<string>>();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    session(socket, store, flags);
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  return server;
}

function session(socket: Socket, store: SandboxStore, flags: Map<string, Set<string>>) {
  let user: string | null = null;
  let selected: { key: string; readOnly: boolean; messages: StoredMessage[] } | null = null;
  let idleTag: string | null = null;
  let authTag: string | null = null;
  let buf = Buffer.alloc(0);
  let parts: (string | Buffer)[] = [];
  let need = 0;

  const send = (line: string | Buffer) => {
    if (!socket.writableEnded) socket.write(Buffer.isBuffer(line) ? line : `${line}\r\n`);
  };
  const flagsOf = (m: StoredMessage) => {
    let f = flags.get(m.path);
    if (!f) {
      f = new Set();
      flags.set(m.path, f);
    }
    return f;
  };
  const folderKey = (name: string): string | null => {
    if (!user) return null;
    if (name.toUpperCase() === 'INBOX') return user;
    if (name === 'Sent') return sentFolderOf(user);
    return null;
  };

  /** Re-reads the selected folder; announces a larger EXISTS. */
  const refresh = () => {
    if (!selected) return;
    const before = selected.messages.length;
    const known = new Set(selected.messages.map((m) => m.path));
    const now = store.list(selected.key);
    // Removals are announced only by EXPUNGE in this session; keep the rest in order.
    const added = now.filter((m) => !known.has(m.path));
    selected.messages = [...selected.messages, ...added];
    if (selected.messages.length !== before) send(`* ${selected.messages.length} EXISTS`);
  };

  const onDelivered = (key: string) => {
    if (idleTag && selected?.key === key) refresh();
  };
  store.events.on('delivered', onDelivered);
  socket.on('close', () => store.events.off('delivered', onDelivered));

  const login = (tag: string, name: string, password: string) => {
    if (!store.signIn(name, password)) return send(`${tag} NO [AUTHENTICATIONFAILED] Authentication failed.`);
    user = name.toLowerCase();
    send(`${tag} OK [CAPABILITY ${CAPABILITIES}] Logged in`);
  };

  const fetch = (tag: string, byUid: boolean, args: Token[]) => {
    if (!selected) return send(`${tag} BAD No mailbox selected`);
    const msgs = selected.messages;
    const max = byUid ? (msgs.at(-1)?.imapUid ?? 0) : msgs.length;
    const match = inSet(text(args[0]), max);
    const items = fetchItems(args[1], byUid);
    msgs.forEach((m, i) => {
      const seq = i + 1;
      if (!match(byUid ? m.imapUid : seq)) return;
      const out: (string | Buffer)[] = [];
      for (const item of items) {
        if (item === 'UID') out.push(`UID ${m.imapUid}`);
        else if (item === 'FLAGS') out.push(`FLAGS (${[...flagsOf(m)].join(' ')})`);
        else if (item === 'RFC822.SIZE') out.push(`RFC822.SIZE ${m.size}`);
        else if (item === 'INTERNALDATE') out.push(`INTERNALDATE ${imapDate(m.receivedAt)}`);
        else if (
          item === 'BODY[]' ||
          item === 'BODY.PEEK[]' ||
          item === 'RFC822' ||
          item.startsWith('BODY')
        ) {
          let body = store.read(m);
          let label = item === 'RFC822' ? 'RFC822' : 'BODY[]';
          if (/\[HEADER/.test(item)) {
            const end = body.indexOf('\r\n\r\n');
            body = end === -1 ? body : body.subarray(0, end + 4);
            label = 'BODY[HEADER]';
          }
          const range = partialOf(item);
          if (range) {
            body = body.subarray(range.start, range.start + range.length);
            label = `${label}<${range.start}>`;
          }
          if (!item.includes('PEEK') && !selected!.readOnly) flagsOf(m).add('\\Seen');
          out.push(Buffer.concat([Buffer.from(`${label} {${body.length}}\r\n`), body]));
        }
      }
      send(fetchResponse(seq, out));
    });
    send(`${tag} OK FETCH completed`);
  };

  const search = (tag: string, byUid: boolean, args: Token[]) => {
    if (!selected) return send(`${tag} BAD No mailbox selected`);
    let tests: ((m: StoredMessage, seq: number) => boolean)[] = [];
    const msgs = selected.messages;
    for (let i = 0; i < args.length; i++) {
      const key = text(args[i]).toUpperCase();
      if (key === 'CHARSET') i++;
      else if (key === 'ALL') tests.push(() => true);
      else if (key === 'UID') {
        const m = inSet(text(args[++i]), msgs.at(-1)?.imapUid ?? 0);
        tests.push((x) => m(x.imapUid));
      } else if (key === 'SINCE') {
        const d = new Date(`${text(args[++i])} UTC`);
        if (Number.isNaN(d.getTime())) return send(`${tag} BAD Bad date`);
        tests.push((x) => x.receivedAt.getTime() >= d.getTime() - 24 * 3600_000);
      } else if (key === 'HEADER') {
        const field = text(args[++i]).toLowerCase();
        const value = text(args[++i]).toLowerCase();
        tests.push((x) => {
          const raw = store.read(x);
          const end = raw.indexOf('\r\n\r\n');
          const head = (end === -1 ? raw : raw.subarray(0, end)).toString('utf8').replace(/\r\n[ \t]+/g, ' ');
          return head
            .split('\r\n')
            .some((l) => l.toLowerCase().startsWith(`${field}:`) && l.toLowerCase().includes(value));
        });
      } else if (/^[\d*:,]+$/.test(key)) {
        const m = inSet(key, msgs.length);
        tests.push((_x, seq) => m(seq));
      } else if (key === 'UNDELETED') tests.push((x) => !flagsOf(x).has('\\Deleted'));
      else if (key === 'DELETED') tests.push((x) => flagsOf(x).has('\\Deleted'));
      else if (key === 'SEEN') tests.push((x) => flagsOf(x).has('\\Seen'));
      else if (key === 'UNSEEN') tests.push((x) => !flagsOf(x).has('\\Seen'));
      else return send(`${tag} BAD Unsupported search key ${key}`);
    }
    if (tests.length === 0) tests = [() => true];
    const found = msgs
      .map((m, i) => ({ m, seq: i + 1 }))
      .filter(({ m, seq }) => tests.every((t) => t(m, seq)))
      .map(({ m, seq }) => (byUid ? m.imapUid : seq));
    send(`* SEARCH${found.map((n) => ` ${n}`).join('')}`);
    send(`${tag} OK SEARCH completed`);
  };

  const storeFlags = (tag: string, byUid: boolean, args: Token[]) => {
    if (!selected || selected.readOnly) return send(`${tag} NO Mailbox is read-only or not selected`);
    const msgs = selected.messages;
    const match = inSet(text(args[0]), byUid ? (msgs.at(-1)?.imapUid ?? 0) : msgs.length);
    const op = text(args[1]).toUpperCase();
    const list = (Array.isArray(args[2]) ? args[2] : args.slice(2)).map(text);
    msgs.forEach((m, i) => {
      if (!match(byUid ? m.imapUid : i + 1)) return;
      const f = flagsOf(m);
      if (op.startsWith('+')) for (const x of list) f.add(x);
      else if (op.startsWith('-')) for (const x of list) f.delete(x);
      else {
        f.clear();
        for (const x of list) f.add(x);
      }
      if (!op.endsWith('.SILENT'))
        send(`* ${i + 1} FETCH (${byUid ? `UID ${m.imapUid} ` : ''}FLAGS (${[...f].join(' ')}))`);
    });
    send(`${tag} OK STORE completed`);
  };

  const expunge = (only?: (m: StoredMessage) => boolean, silent = false) => {
    if (!selected) return;
    for (let i = selected.messages.length - 1; i >= 0; i--) {
      const m = selected.messages[i]!;
      if (!flagsOf(m).has('\\Deleted') || (only && !only(m))) continue;
      store.remove(m);
      flags.delete(m.path);
      selected.messages.splice(i, 1);
      if (!silent) send(`* ${i + 1} EXPUNGE`);
    }
  };

  const handle = (tokens: Token[]) => {
    const tag = text(tokens[0]);
    let verb = text(tokens[1]).toUpperCase();
    let args = tokens.slice(2);
    let byUid = false;
    if (verb === 'UID') {
      byUid = true;
      verb = text(args[0]).toUpperCase();
      args = args.slice(1);
    }
    if (!/^[A-Za-z0-9.]{1,40}$/.test(tag)) return send('* BAD Invalid tag');
    try {
      switch (verb) {
        case 'CAPABILITY':
          send(`* CAPABILITY ${CAPABILITIES}`);
          return send(`${tag} OK CAPABILITY completed`);
        case 'NOOP':
        case 'CHECK':
          refresh();
          return send(`${tag} OK ${verb} completed`);
        case 'LOGOUT':
          send('* BYE mailroom sandbox signing off');
          send(`${tag} OK LOGOUT completed`);
          socket.end();
          return;
        case 'ID':
          send('* ID ("name" "mailroom sandbox")');
          return send(`${tag} OK ID completed`);
        case 'LOGIN':
          return login(tag, text(args[0]), text(args[1]));
        case 'AUTHENTICATE': {
          if (text(args[0]).toUpperCase() !== 'PLAIN') return send(`${tag} NO Unsupported mechanism`);
          if (args[1] !== undefined) return plain(tag, text(args[1]));
          authTag = tag;
          return send('+ ');
        }
      }
      if (!user) return send(`${tag} NO Not logged in`);
      switch (verb) {
        case 'NAMESPACE':
          send('* NAMESPACE (("" "/")) NIL NIL');
          return send(`${tag} OK NAMESPACE completed`);
        case 'ENABLE':
          send('* ENABLED');
          return send(`${tag} OK ENABLE completed`);
        case 'LIST':
        case 'LSUB': {
          const pattern = text(args[1]);
          const all = pattern === '*' || pattern === '%';
          if (all || pattern.toUpperCase() === 'INBOX') send(`* ${verb} (\\HasNoChildren) "/" INBOX`);
          if (all || pattern === 'Sent') send(`* ${verb} (\\HasNoChildren \\Sent) "/" Sent`);
          return send(`${tag} OK ${verb} completed`);
        }
        case 'SELECT':
        case 'EXAMINE': {
          const key = folderKey(text(args[0]));
          if (!key) return send(`${tag} NO [NONEXISTENT] No such mailbox`);
          selected = { key, readOnly: verb === 'EXAMINE', messages: store.list(key) };
          send('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)');
          send('* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)] Flags permitted');
          send(`* ${selected.messages.length} EXISTS`);
          send('* 0 RECENT');
          send(`* OK [UIDVALIDITY ${store.uidValidity(key)}] UIDs valid`);
          send(`* OK [UIDNEXT ${store.uidNext(key)}] Predicted next UID`);
          return send(`${tag} OK [${verb === 'EXAMINE' ? 'READ-ONLY' : 'READ-WRITE'}] ${verb} completed`);
        }
        case 'STATUS': {
          const name = text(args[0]);
          const key = folderKey(name);
          if (!key) return send(`${tag} NO [NONEXISTENT] No such mailbox`);
          const msgs = store.list(key);
          const items = (Array.isArray(args[1]) ? args[1] : []).map((t) => text(t).toUpperCase());
          const values: Record<string, number> = {
            MESSAGES: msgs.length,
            RECENT: 0,
            UIDNEXT: store.uidNext(key),
            UIDVALIDITY: store.uidValidity(key),
            UNSEEN: msgs.filter((m) => !flagsOf(m).has('\\Seen')).length,
          };
          const out = items.filter((i) => i in values).map((i) => `${i} ${values[i]}`);
          send(`* STATUS ${quote(name)} (${out.join(' ')})`);
          return send(`${tag} OK STATUS completed`);
        }
        case 'APPEND': {
          const key = folderKey(text(args[0]));
          if (!key) return send(`${tag} NO [TRYCREATE] No such mailbox`);
          const literal = args.at(-1);
          if (!Buffer.isBuffer(literal)) return send(`${tag} BAD Missing message literal`);
          const uid = store.uidNext(key);
          store.deliver(key, literal);
          const appended = store.list(key).find((m) => m.imapUid === uid);
          const given = Array.isArray(args[1]) ? args[1].map(text) : [];
          if (appended) for (const f of given) flagsOf(appended).add(f);
          if (selected?.key === key) refresh();
          return send(`${tag} OK [APPENDUID ${store.uidValidity(key)} ${uid}] APPEND completed`);
        }
        case 'FETCH':
          return fetch(tag, byUid, args);
        case 'SEARCH':
          return search(tag, byUid, args);
        case 'STORE':
          return storeFlags(tag, byUid, args);
        case 'EXPUNGE': {
          if (!selected || selected.readOnly) return send(`${tag} NO Mailbox is read-only or not selected`);
          if (byUid) {
            const match = inSet(text(args[0]), selected.messages.at(-1)?.imapUid ?? 0);
            expunge((m) => match(m.imapUid));
          } else expunge();
          return send(`${tag} OK EXPUNGE completed`);
        }
        case 'CLOSE':
          if (selected && !selected.readOnly) expunge(undefined, true);
          selected = null;
          return send(`${tag} OK CLOSE completed`);
        case 'UNSELECT':
          selected = null;
          return send(`${tag} OK UNSELECT completed`);
        case 'IDLE':
          idleTag = tag;
          send('+ idling');
          refresh();
          return;
        default:
          return send(`${tag} BAD Unknown command`);
      }
    } catch {
      send(`${tag} BAD Invalid arguments`);
    }
  };

  const plain = (tag: string, b64: string) => {
    const p = Buffer.from(b64, 'base64').toString('utf8').split('\u0000');
    if (p.length !== 3) return send(`${tag} NO [AUTHENTICATIONFAILED] Invalid PLAIN response`);
    return login(tag, p[1]!, p[2]!);
  };

  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (need > 0) {
        if (buf.length < need) return;
        parts.push(Buffer.from(buf.subarray(0, need)));
        buf = buf.subarray(need);
        need = 0;
        continue;
      }
      const i = buf.indexOf('\r\n');
      if (i === -1) {
        if (buf.length > MAX_LINE) {
          send('* BYE Line too long');
          socket.destroy();
        }
        return;
      }
      const line = buf.subarray(0, i).toString('utf8');
      buf = buf.subarray(i + 2);
      if (idleTag && parts.length === 0) {
        const tag = idleTag;
        idleTag = null;
        send(line.toUpperCase() === 'DONE' ? `${tag} OK IDLE terminated` : `${tag} BAD Expected DONE`);
        continue;
      }
      if (authTag && parts.length === 0) {
        const tag = authTag;
        authTag = null;
        if (line === '*') send(`${tag} BAD Authentication cancelled`);
        else plain(tag, line);
        continue;
      }
      const literal = /\{(\d{1,9})(\+)?\}$/.exec(line);
      if (literal) {
        need = Number(literal[1]);
        if (need > MAX_LITERAL) {
          send('* BYE Literal too large');
          socket.destroy();
          return;
        }
        parts.push(line.slice(0, literal.index));
        if (!literal[2]) send('+ Ready for literal data');
        if (need === 0) parts.push(Buffer.alloc(0));
        continue;
      }
      parts.push(line);
      const command = parts;
      parts = [];
      handle(tokenize(command));
      if (socket.destroyed || socket.writableEnded) return;
    }
  });
  send(`* OK [CAPABILITY ${CAPABILITIES}] mailroom sandbox IMAP ready`);
}
