/**
 * A mail server pair in a process of its own for the `workers` benchmark: an smtp-server sink
 * that answers every message `<serverMs>` after the end of its data (a remote server's fixed
 * per-message time), and an empty POP3 mailbox that pauses `<pop3Ms>` before each answer.
 * Run apart from the benchmark so that, on a busy machine, the servers get their own share of
 * the CPU instead of becoming the bottleneck being measured. Prints its ports as one JSON line,
 * then `count <accepted emails> <finished POP3 sessions>` every 50 ms.
 */
import { SMTPServer } from 'smtp-server';
import { Pop3FakeServer } from '../../test/servers/pop3-fake-server.js';

const serverMs = Number(process.argv[2] ?? 40);
const password = process.argv[3] ?? 'bench password';
const pop3Ms = Number(process.argv[4] ?? serverMs);
let received = 0;

const smtp = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS'],
  authMethods: ['PLAIN'],
  allowInsecureAuth: true,
  disableReverseLookup: true,
  logger: false,
  onAuth: (_auth, _session, cb) => cb(null, { user: 'bench' }),
  onData(stream, _session, cb) {
    stream.resume();
    stream.on('end', () =>
      setTimeout(() => {
        received++;
        cb(null);
      }, serverMs),
    );
  },
});
smtp.on('error', () => {});
await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
// Drip: every write goes out whole, then the session pauses pop3Ms before the next one.
const pop3 = await Pop3FakeServer.start({
  user: 'box@firma.example',
  pass: password,
  messages: [],
  drip: { bytes: 64 * 1024, everyMs: pop3Ms },
});

/** POP3 sessions that reached QUIT (a finished poll). */
const finishedSessions = () => {
  let n = 0;
  for (const c of pop3.connections) {
    if (c.commands.some((x) => x.line === 'QUIT')) n++;
    if (c.closed) c.chunks.length = 0; // keep memory flat over thousands of sessions
  }
  return n;
};

process.stdout.write(
  `${JSON.stringify({ smtpPort: (smtp.server.address() as { port: number }).port, pop3Port: pop3.port })}\n`,
);
setInterval(() => process.stdout.write(`count ${received} ${finishedSessions()}\n`), 50);
process.once('SIGTERM', () => {
  smtp.close(() => process.exit(0));
  void pop3.close();
});
