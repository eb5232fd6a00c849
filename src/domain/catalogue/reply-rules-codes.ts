import type { MailProtocol } from '../mailbox/connection.js';
import type { ReplyRule } from './reply-rule.js';

const SMTP: readonly MailProtocol[] = ['smtp'];

/** RFC 3463 / RFC 7372 / Microsoft enhanced status codes that name one cause. */
export const ENHANCED_CODE_RULES: readonly ReplyRule[] = [
  { entry: 'microsoft-smtp-auth-disabled', protocols: SMTP, enhanced: ['5.7.139'] },
  { entry: 'microsoft-basic-auth-retired', protocols: SMTP, enhanced: ['5.7.30'] },
  { entry: 'microsoft-send-as-denied', protocols: SMTP, enhanced: ['5.7.60'] },
  { entry: 'relay-denied', protocols: SMTP, enhanced: ['5.7.57', '5.7.64'] },
  { entry: 'wrong-password', protocols: SMTP, enhanced: ['5.7.8', '5.7.12'] },
  { entry: 'auth-method-unsupported', protocols: SMTP, enhanced: ['5.7.9'] },
  { entry: 'tls-mode-mismatch', protocols: SMTP, enhanced: ['x.7.11'] },
  { entry: 'account-blocked', protocols: SMTP, enhanced: ['5.7.13'] },
  // RFC 7372: DKIM (20–22), SPF (23–24) and multiple authentication checks (26) failed.
  {
    entry: 'dmarc-rejected',
    protocols: SMTP,
    enhanced: ['5.7.20', '5.7.21', '5.7.22', '5.7.23', '5.7.24', '5.7.26'],
  },
  { entry: 'recipient-domain-not-found', protocols: SMTP, enhanced: ['5.1.2', '5.4.4'] },
  { entry: 'sender-rejected', protocols: SMTP, enhanced: ['5.1.7', '5.1.8'] },
  { entry: 'recipient-unknown', protocols: SMTP, enhanced: ['5.1.1', '5.1.10', '5.1.6', '5.2.1'] },
  { entry: 'recipient-mailbox-full', protocols: SMTP, enhanced: ['x.2.2'] },
  { entry: 'message-too-large', protocols: SMTP, enhanced: ['x.2.3', 'x.3.4'] },
  { entry: 'too-many-recipients', protocols: SMTP, enhanced: ['x.5.3'] },
  { entry: 'smtputf8-unsupported', protocols: SMTP, enhanced: ['x.6.7', 'x.6.9'] },
];

/** Basic reply codes (RFC 5321, RFC 4954) that mean one thing on their own or at one step. */
export const REPLY_CODE_RULES: readonly ReplyRule[] = [
  { entry: 'relay-denied', protocols: SMTP, replyCodes: [530] },
  { entry: 'wrong-password', protocols: SMTP, replyCodes: [535] },
  { entry: 'auth-method-unsupported', protocols: SMTP, replyCodes: [534] },
  { entry: 'auth-method-unsupported', protocols: SMTP, replyCodes: [504], steps: ['auth'] },
  { entry: 'tls-mode-mismatch', protocols: SMTP, replyCodes: [538] },
  // 552 at RCPT is the old "storage allocation exceeded" for that mailbox; elsewhere it is size.
  { entry: 'recipient-mailbox-full', protocols: SMTP, replyCodes: [552], steps: ['rcpt_to'] },
  { entry: 'message-too-large', protocols: SMTP, replyCodes: [552] },
];
