import type { MailProtocol } from '../mailbox/connection.js';
import type { ReplyRule } from './reply-rule.js';

const SMTP: readonly MailProtocol[] = ['smtp'];
const INCOMING: readonly MailProtocol[] = ['pop3', 'imap'];

const APP_PASSWORD =
  /\bapplication[- ]specific password\b|\bapp(?:lication)? password (?:is )?required\b|\bInvalidSecondFactor\b/i;

/**
 * Wordings specific enough to decide alone, whatever the code or provider: they go first so
 * that a provider's generic rule (Gmail 5.7.8, Microsoft 535) cannot shadow them.
 */
export const SPECIFIC_TEXT_RULES: readonly ReplyRule[] = [
  { entry: 'gmail-app-password-required', providers: ['gmail'], text: APP_PASSWORD },
  { entry: 'app-password-required', text: APP_PASSWORD },
  {
    entry: 'web-login-required',
    text: /\b(?:log|sign) ?in (?:with|via|using|through) (?:your|a) (?:web )?browser\b|\bweb ?login required\b|\bWebLoginRequired\b/i,
  },
  {
    entry: 'pop-imap-access-disabled',
    protocols: INCOMING,
    text: /\b(?:POP3?|IMAP) access (?:is )?(?:disabled|not enabled|turned off)\b|\bnot enabled for (?:POP3?|IMAP)\b/i,
  },
  {
    entry: 'mail-client-access-disabled',
    text: /\bdoes not have access rights to this service\b|\baccess (?:for|from|by|via) (?:mail|e-?mail) (?:clients|programs|applications|apps)\b[^.;]{0,30}\b(?:disabled|not enabled|turned off|not allowed)\b|\b(?:external|third[- ]party) (?:POP3?|IMAP|SMTP|mail)\b[^.;]{0,40}\baccess\b[^.;]{0,20}\b(?:disabled|not enabled|turned off)\b/i,
  },
  {
    entry: 'too-many-login-attempts',
    text: /\btoo many (?:failed )?(?:login|log-in|sign-in|authentication|auth) (?:attempts|failures|requests)\b|\[LOGIN-DELAY\]|\blogin rate limit\b/i,
  },
  {
    entry: 'microsoft-authentication-unsuccessful',
    enhanced: ['5.7.139'],
    text: /\bcredentials were incorrect\b/i,
  },
  {
    entry: 'microsoft-smtp-auth-disabled',
    text: /\bSmtpClientAuthentication is disabled\b|\bsecurity defaults policy\b|\bdid not meet the criteria to be authenticated\b/i,
  },
  {
    entry: 'microsoft-basic-auth-retired',
    text: /\bbasic auth(?:entication)? is (?:not supported|disabled|turned off|blocked)\b|\bBasicAuthBlocked\b/i,
  },
  { entry: 'microsoft-send-as-denied', text: /\bSendAsDenied|\bsend as this sender\b/i },
  {
    entry: 'daily-sending-limit',
    // Needs "exceeded"/"reached": Gmail's other replies mention "sending limits" in passing.
    text: /\bSubmissionQuotaExceeded|\bRefusedQuota\b|\b(?:submission |sending |daily (?:user |message |mail )?)(?:quota|limit) (?:has been |was |is )?(?:exceeded|reached)\b/i,
  },
  { entry: 'microsoft-sender-restricted', text: /\bbad outbound sender\b|\bOutboundSpamException\b/i },
  {
    entry: 'account-blocked',
    text: /\bsending (?:for|from) this account is (?:disabled|blocked|suspended)\b|\[CONTACTADMIN\]/i,
  },
  {
    entry: 'tls-mode-mismatch',
    text: /\bmust issue a STARTTLS command first\b|\bSTARTTLS (?:is )?required\b|\bencryption required\b|\bpipelin\w{0,6} after STARTTLS\b|\[PRIVACYREQUIRED\]|\bplaintext (?:authentication|login)s? (?:is )?(?:disallowed|not allowed)\b|\bLOGINDISABLED\b/i,
  },
  { entry: 'greylisted', text: /\bgr[ae]y-?list(?:ed|ing)?\b/i },
  {
    entry: 'dmarc-rejected',
    text: /\bDMARC\b|\bnot accepted for policy reasons\b|\bSPF (?:check |validation )?(?:fail|failed|failure)\b|\bDKIM (?:check |validation )?(?:fail|failed|failure)\b|\bunauthenticated (?:email|mail|message)\b/i,
  },
  {
    entry: 'rate-limited',
    text: /\[TSS\d{2}\]|\bunusual rate\b|\bunexpected volume\b|\buser complaints\b|\brate limit(?:ed|ing)?\b|\btoo many (?:messages|emails|mails|connections)\b/i,
  },
  { entry: 'smtputf8-unsupported', text: /\bSMTPUTF8\b/i },
];

/** Provider-specific codes (SECURITY.md §6 rows), after the unambiguous wordings. */
export const PROVIDER_RULES: readonly ReplyRule[] = [
  {
    // Row 31: Gmail refuses POP3/IMAP sign-in when POP/IMAP is off or an app password is needed.
    entry: 'gmail-pop-imap-login-refused',
    protocols: INCOMING,
    providers: ['gmail'],
    text: /\[AUTH\]|\bAUTHENTICATIONFAILED\b|\busername and password not accepted\b|\binvalid credentials\b/i,
  },
  { entry: 'gmail-pop-imap-login-refused', protocols: INCOMING, providers: ['gmail'], authOnly: true },
  { entry: 'gmail-password-rejected', protocols: SMTP, providers: ['gmail'], enhanced: ['5.7.8'] },
  {
    entry: 'gmail-password-rejected',
    protocols: SMTP,
    providers: ['gmail'],
    text: /\busername and password not accepted\b|\bBadCredentials\b/i,
  },
  {
    entry: 'gmail-app-password-required',
    protocols: SMTP,
    providers: ['gmail'],
    replyCodes: [534],
    enhanced: ['5.7.9'],
  },
  // A bare 535 from Gmail (no enhanced code, no wording) still means the password was refused,
  // and on Gmail that is almost always the account password where an app password is needed.
  { entry: 'gmail-password-rejected', protocols: SMTP, providers: ['gmail'], replyCodes: [535] },
  {
    entry: 'too-many-login-attempts',
    protocols: SMTP,
    providers: ['gmail'],
    replyCodes: [454],
    enhanced: ['4.7.0'],
  },
  { entry: 'rate-limited', protocols: SMTP, providers: ['gmail'], replyCodes: [421], enhanced: ['4.7.0'] },
  { entry: 'daily-sending-limit', protocols: SMTP, providers: ['gmail'], enhanced: ['5.4.5'] },
  { entry: 'microsoft-sender-restricted', protocols: SMTP, providers: ['microsoft'], enhanced: ['5.1.8'] },
  {
    entry: 'microsoft-authentication-unsuccessful',
    protocols: SMTP,
    providers: ['microsoft'],
    replyCodes: [535],
  },
  { entry: 'dmarc-rejected', protocols: SMTP, providers: ['yahoo'], enhanced: ['5.7.9'] },
  {
    // `Authentication unsuccessful` with 5.7.3 is Exchange's wording even behind a custom host name.
    entry: 'microsoft-authentication-unsuccessful',
    protocols: SMTP,
    enhanced: ['5.7.3'],
    text: /\bauthentication unsuccessful\b/i,
  },
];

/** Common wordings from any server; more specific ones first. */
export const GENERIC_TEXT_RULES: readonly ReplyRule[] = [
  {
    entry: 'sender-not-owned',
    protocols: SMTP,
    text: /\bnot owned by (?:the )?(?:auth(?:enticated)? )?user\b|\bsender login mismatch\b|\bnot local sender\b|\bnot authori[sz]ed to send (?:as|from|on behalf)\b/i,
  },
  {
    entry: 'relay-denied',
    protocols: SMTP,
    text: /\brelay(?:ing)? (?:access )?(?:denied|not permitted|not allowed|prohibited|refused)\b|\bunable to relay\b|\bnot (?:permitted|allowed) to relay\b|\bwe do not relay\b|\bnot authenticated\b|\bauthentication (?:is )?required\b|\bsender address rejected: not logged in\b/i,
  },
  {
    entry: 'sender-rejected',
    protocols: SMTP,
    text: /\bsender (?:address )?(?:rejected|refused|invalid)\b|\b(?:bad|invalid) sender\b/i,
  },
  {
    entry: 'recipient-domain-not-found',
    protocols: SMTP,
    text: /\bdomain (?:name )?not found\b|\bdomain (?:does not|doesn't) exist\b|\bno (?:mail hosts|MX (?:records?|hosts?)) for (?:the )?domain\b|\bunrout(?:e)?able (?:mail )?domain\b|\bunable to route\b/i,
  },
  {
    entry: 'recipient-unknown',
    protocols: SMTP,
    text: /\b(?:user|recipient|mailbox|address|account)(?: name)? (?:is )?(?:unknown|not found|does not exist|doesn't exist)\b|\bno such (?:user|mailbox|recipient|address|account)\b|\bunknown (?:user|recipient|mailbox|address)\b|\bRecipientNotFound\b|\bmailbox unavailable\b|\btried to reach does not exist\b|\binvalid (?:recipient|mailbox)\b|\bdoesn't have an? [\w.-]+ account\b|\bnot listed in (?:the )?(?:Domino )?(?:Directory|address book)\b/i,
  },
  {
    entry: 'recipient-mailbox-full',
    protocols: SMTP,
    text: /\b(?:mailbox|inbox|mail ?box|mail ?folder)(?: is)? full\b|\bover (?:its |the |their )?(?:storage |disk |mailbox )?quota\b|\bquota (?:exceeded|full)\b|\binsufficient (?:system )?storage\b|\bOVERQUOTA\b/i,
  },
  {
    entry: 'too-many-recipients',
    protocols: SMTP,
    text: /\btoo many recipients\b|\brecipient (?:count|limit) exceeded\b/i,
  },
  {
    entry: 'message-too-large',
    protocols: SMTP,
    text: /\bmessage (?:size )?(?:exceeds|exceeded|too (?:big|large))\b|\b(?:message|mail) is too (?:big|large)\b|\bsize (?:limit )?exceeded\b|\bexceeds (?:the )?(?:fixed |maximum |max )?(?:message )?size\b/i,
  },
  {
    entry: 'rejected-as-spam',
    protocols: SMTP,
    text: /\bsuspicion of spam\b|\bspam (?:message|content|mail) (?:rejected|detected)\b|\b(?:rejected|blocked|identified|detected|classified|considered|marked) (?:as )?spam\b|\blikely (?:unsolicited|spam)\b|\bunsolicited (?:mail|email|message|bulk)\b|\bspam content\b/i,
  },
  {
    entry: 'recipient-rejected',
    protocols: SMTP,
    text: /\brecipient (?:address )?(?:rejected|refused|denied|not accepted)\b/i,
  },
  {
    // After the recipient rules: `Recipient address rejected: account is disabled` is the
    // contact's problem, not ours.
    entry: 'account-blocked',
    text: /\baccount (?:has been |is |was )?(?:disabled|blocked|suspended|locked|deactivated)\b/i,
  },
  {
    entry: 'rejected-by-policy',
    protocols: SMTP,
    text: /\bblocked using\b|\bblock-?listed\b|\bblacklisted\b|\blisted (?:at|in|on|by)\b|\b(?:local|security|content) policy\b|\bpolicy (?:violation|rejection)\b|\badministrative prohibition\b|\benvelope blocked\b/i,
  },
  {
    entry: 'auth-method-unsupported',
    text: /\bunrecognized authentication type\b|\bauthentication mechanism (?:is )?(?:too weak|not supported|unsupported)\b|\bno (?:supported |suitable )?authentication mechanisms?\b/i,
  },
  {
    entry: 'wrong-password',
    text: /\bauthentication (?:failed|failure)\b|\binvalid (?:login|password|credentials|user ?name or password)\b|\bbad (?:login|password)\b|\blogin failed\b|\bincorrect (?:password|user ?name)\b|\bwrong password\b/i,
  },
];

/** POP3 (RFC 2449/3206 response codes) and IMAP (RFC 5530) texts. */
export const INCOMING_RULES: readonly ReplyRule[] = [
  {
    entry: 'mailbox-in-use',
    protocols: ['pop3'],
    text: /\[IN-USE\]|\bunable to lock maildrop\b|\bmailbox (?:is )?(?:locked|in use)\b/i,
  },
  {
    entry: 'uidl-unsupported',
    protocols: ['pop3'],
    text: /\b(?:unknown|unsupported|unrecognized|invalid) command\b[^.;]{0,20}\bUIDL\b|\bUIDL\b[^.;]{0,20}\bnot (?:supported|implemented)\b/i,
  },
  { entry: 'uidl-unsupported', protocols: ['pop3'], steps: ['uidl'] },
  { entry: 'temporary-server-problem', protocols: ['pop3'], text: /\[SYS\/TEMP\]/i },
  { entry: 'temporary-server-problem', protocols: ['imap'], text: /\[(?:UNAVAILABLE|INUSE|LIMIT)\]/i },
  { entry: 'wrong-password', protocols: ['pop3'], text: /\[AUTH\]/i },
  {
    entry: 'wrong-password',
    protocols: ['imap'],
    text: /\[(?:AUTHENTICATIONFAILED|AUTHORIZATIONFAILED|EXPIRED)\]/i,
  },
];
