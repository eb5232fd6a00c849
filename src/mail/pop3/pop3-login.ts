import type { MailAuth, MailSecurity } from '../../domain/mailbox/connection.js';
import {
  chooseMechanism,
  credentialProblem,
  decodeChallenge,
  type Pop3Mechanism,
  saslName,
  saslPlain,
  saslXoauth2,
  secretsOf,
} from './pop3-auth.js';
import type { Pop3Commands, Status } from './pop3-commands.js';
import { loginRefusalKind, type Pop3Error, parseResponseCode, pop3Error } from './pop3-errors.js';
import type { Pop3Capabilities } from './pop3-listing.js';

/**
 * USER/PASS, AUTH PLAIN or AUTH XOAUTH2. Refuses before sending anything when the mode
 * needs TLS and it is not up, or when a credential would break the command line.
 * Caller holds the command lock.
 */
export async function runLogin(
  c: Pop3Commands,
  auth: MailAuth,
  context: { security: MailSecurity; caps: Pop3Capabilities | null; mechanism?: Pop3Mechanism },
): Promise<{ mechanism: Pop3Mechanism; reply: string }> {
  const step = 'auth';
  if (context.security !== 'none' && !c.t.isEncrypted) {
    c.t.destroy('credentials before TLS');
    throw c.fail('starttls_unavailable', step, { detail: 'refusing to send credentials before TLS' });
  }
  c.secrets = secretsOf(auth);
  const { caps } = context;
  const mechanism = context.mechanism ?? chooseMechanism(auth, caps);
  const problem = credentialProblem(auth, mechanism);
  if (problem) throw c.fail('auth', step, { code: 'EBADCREDENTIALS', detail: problem });
  if (mechanism === 'xoauth2' && caps && caps.sasl.length > 0 && !caps.sasl.includes('XOAUTH2')) {
    throw c.fail('unsupported', step, { detail: 'the server does not offer AUTH XOAUTH2' });
  }
  c.t.setStep(step);
  let reply = '';
  if (mechanism === 'user' && auth.type === 'password') {
    await userPass(c, `USER ${auth.user}\r\n`);
    reply = await userPass(c, `PASS ${auth.pass}\r\n`);
  } else if (mechanism === 'plain' && auth.type === 'password') {
    reply = await sasl(c, 'plain', saslPlain(auth.user, auth.pass));
  } else if (auth.type === 'oauth2') {
    reply = await sasl(c, 'xoauth2', saslXoauth2(auth.user, auth.accessToken));
  }
  return { mechanism, reply: c.clean(reply) };
}

async function userPass(c: Pop3Commands, line: string): Promise<string> {
  const status = await c.exchange(line);
  if (status.type !== 'ok') throw loginError(c, status);
  return status.text;
}

/** AUTH with an initial response (RFC 5034 §4), or in two steps when the line would pass 255 octets. */
async function sasl(c: Pop3Commands, mechanism: 'plain' | 'xoauth2', response: string): Promise<string> {
  const name = saslName(mechanism);
  const inline = `AUTH ${name} ${response}\r\n`;
  let status: Status;
  if (inline.length <= 255) {
    status = await c.exchange(inline);
  } else {
    status = await c.exchange(`AUTH ${name}\r\n`);
    if (status.type !== 'continue') throw loginError(c, status);
    status = await c.exchange(`${response}\r\n`);
  }
  let challenge = '';
  for (let round = 0; status.type === 'continue'; round++) {
    if (round >= 2) throw c.unexpected(status, 'protocol', 'auth');
    // A challenge after our response is an error report (XOAUTH2 sends JSON): answer
    // empty (XOAUTH2) or cancel (`*`), then read the final -ERR.
    challenge = decodeChallenge(status.text);
    status = await c.exchange(mechanism === 'xoauth2' ? '\r\n' : '*\r\n');
  }
  if (status.type !== 'ok') throw loginError(c, status, challenge);
  return status.text;
}

/** -ERR to a login command: kind `auth`, unless an RFC 3206 code says it was not the credentials. */
function loginError(c: Pop3Commands, status: Status, challenge = ''): Pop3Error {
  if (status.type !== 'err') return c.unexpected(status, 'protocol', 'auth');
  const err = c.replyError(loginRefusalKind(parseResponseCode(status.text).code), 'auth', status);
  if (!challenge) return err;
  return pop3Error(err.failure.kind, { ...err.failure, detail: challenge }, c.secrets);
}
