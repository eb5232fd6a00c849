import type { CatalogueEntry } from './catalogue-entry.js';

/** How the server behaves: temporary trouble, protocol breakage, and the SMTP last resort. */
export const SERVER_ENTRIES: readonly CatalogueEntry[] = [
  {
    id: 'temporary-server-problem',
    area: 'server',
    title: { pl: 'Chwilowy problem po stronie serwera', en: 'Temporary server problem' },
    cause: {
      pl: 'Serwer poczty zgłosił chwilowy problem (np. przeciążenie lub prace techniczne) i poprosił o ponowienie później.',
      en: 'The mail server reported a temporary problem (e.g. overload or maintenance) and asked us to try again later.',
    },
    userAction: {
      pl: 'Nic nie musisz robić – ponowimy próbę automatycznie.',
      en: 'Nothing to do: we will try again automatically.',
    },
    adminAction: {
      pl: 'Jeśli problem trwa dłużej niż kilka godzin, sprawdź stronę statusu dostawcy poczty albo logi serwera.',
      en: "If it lasts more than a few hours, check the mail provider's status page or the server logs.",
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['smtp', 'pop3', 'imap', 'bounce'],
    examples: [
      '451 4.3.0 Error: queue file write error',
      '421 4.3.2 Service not available, closing transmission channel',
      '-ERR [SYS/TEMP] System busy, try again later',
      'a1 NO [UNAVAILABLE] Temporary failure, try again later',
    ],
  },
  {
    id: 'protocol-violation',
    area: 'server',
    title: {
      pl: 'Serwer odpowiedział w niezrozumiały sposób',
      en: 'The server replied in an unexpected way',
    },
    cause: {
      pl: 'Serwer odpowiedział niezgodnie z protokołem poczty. Najczęściej pod tym portem działa inna usługa (np. serwer WWW) albo urządzenie sieciowe po drodze zakłóca połączenie.',
      en: 'The server answered in a way the mail protocol does not allow. Most often another service (e.g. a web server) runs on this port, or a network device on the way interferes.',
    },
    userAction: {
      pl: 'Sprawdź nazwę serwera i port w ustawieniach adresu (wysyłka: 587 lub 465; POP3: 995; IMAP: 993).',
      en: 'Check the server name and port in the address settings (sending: 587 or 465; POP3: 995; IMAP: 993).',
    },
    adminAction: {
      pl: 'Sprawdź, jaka usługa działa na tym porcie i czy zapora lub antywirus nie ingeruje w połączenia pocztowe.',
      en: 'Check which service runs on that port and whether a firewall or antivirus interferes with mail connections.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['smtp', 'pop3', 'imap'],
    examples: ['HTTP/1.1 400 Bad Request'],
  },
  {
    id: 'server-reply-too-long',
    area: 'server',
    title: { pl: 'Serwer przysłał za dużo danych', en: 'The server sent too much data' },
    cause: {
      pl: 'Odpowiedź serwera przekroczyła nasze limity (zbyt długi wiersz lub zbyt dużo danych), więc przerwaliśmy połączenie, żeby chronić system.',
      en: "The server's reply went past our limits (a line too long or too much data), so we ended the connection to protect the system.",
    },
    userAction: {
      pl: 'Sprawdź nazwę serwera i port. Jeśli są poprawne, przekaż ten komunikat administratorowi.',
      en: 'Check the server name and port. If they are right, forward this message to your administrator.',
    },
    adminAction: {
      pl: 'Sprawdź, czy pod tym adresem działa prawidłowy serwer poczty; jeśli tak, zbadaj jego odpowiedzi – mogą być uszkodzone albo celowo złośliwe.',
      en: 'Check that a proper mail server runs at that address; if so, look into its replies, which may be broken or deliberately hostile.',
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    examples: [],
  },
  {
    // Issue 8 item 14: a greeting or reply longer than any mail server sends is not "message
    // too large" (nodemailer says "server response exceeds maximum allowed size"; an IMAP
    // literal during login is part of a reply, not an incoming message).
    id: 'server-reply-oversized',
    area: 'server',
    title: {
      pl: 'Serwer przysłał odpowiedź zbyt długą jak na serwer poczty',
      en: 'The server sent a reply too long for a mail server',
    },
    cause: {
      pl: 'Serwer poczty odpowiada krótkimi wierszami. Ten przysłał powitanie lub odpowiedź o wiele dłuższą, niż robi to jakikolwiek serwer poczty, więc przerwaliśmy połączenie. To nie dotyczy rozmiaru Twojej wiadomości: pod tym adresem i portem najpewniej działa inna usługa albo serwer działa nieprawidłowo.',
      en: 'Mail servers answer in short lines. This one sent a greeting or reply far longer than any mail server does, so we ended the connection. This is not about the size of your email: most likely another service runs at that address and port, or the server is misbehaving.',
    },
    userAction: {
      pl: 'Sprawdź nazwę serwera i port w ustawieniach adresu (wysyłka: 587 lub 465; POP3: 995; IMAP: 993). Jeśli są poprawne, przekaż ten komunikat administratorowi.',
      en: 'Check the server name and port in the address settings (sending: 587 or 465; POP3: 995; IMAP: 993). If they are right, forward this message to your administrator.',
    },
    adminAction: {
      pl: 'Sprawdź, jaka usługa odpowiada pod tym adresem i portem. Jeśli to serwer poczty, zbadaj jego odpowiedzi – mogą być uszkodzone albo celowo złośliwe.',
      en: 'Check which service answers at that address and port. If it is a mail server, look into its replies, which may be broken or deliberately hostile.',
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    examples: [],
  },
  {
    id: 'smtp-server-refused',
    area: 'server',
    title: { pl: 'Serwer poczty odmówił', en: 'The mail server refused' },
    cause: {
      pl: 'Serwer poczty odmówił z powodu, którego nie rozpoznajemy. Jego dokładna odpowiedź jest poniżej i zwykle wyjaśnia, co się stało.',
      en: 'The mail server refused for a reason we do not recognise. Its exact reply is below and usually explains what happened.',
    },
    userAction: {
      pl: 'Przeczytaj odpowiedź serwera poniżej. Jeśli nie wiesz, co z nią zrobić, przekaż ją administratorowi.',
      en: "Read the server's reply below. If it is unclear what to do, forward it to your administrator.",
    },
    adminAction: {
      pl: 'Sprawdź kod odpowiedzi (4xx – błąd chwilowy, 5xx – trwały) i komunikat serwera; w razie wątpliwości skontaktuj się z dostawcą poczty.',
      en: "Check the reply code (4xx temporary, 5xx permanent) and the server's message; if in doubt, contact the mail provider.",
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'bounce'],
    examples: ['550 Requested action not taken'],
  },
];
