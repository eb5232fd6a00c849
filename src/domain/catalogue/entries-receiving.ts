import type { CatalogueEntry } from './catalogue-entry.js';

/** Receiving (POP3/IMAP) access, including the last-resort entries for each protocol. */
export const RECEIVING_ENTRIES: readonly CatalogueEntry[] = [
  {
    id: 'pop-imap-access-disabled',
    area: 'receiving',
    title: { pl: 'Odbieranie przez POP3/IMAP jest wyłączone', en: 'POP3/IMAP access is switched off' },
    cause: {
      pl: 'W ustawieniach tej skrzynki dostęp przez POP3 lub IMAP jest wyłączony, więc nie możemy odbierać z niej poczty.',
      en: "POP3 or IMAP access is switched off in this mailbox's settings, so we cannot collect mail from it.",
    },
    userAction: {
      pl: 'Zaloguj się do poczty w przeglądarce i włącz POP3 lub IMAP w ustawieniach (w Gmailu: Ustawienia → Przekazywanie i POP/IMAP). Potem kliknij „Testuj konto”.',
      en: 'Sign in to webmail and switch on POP3 or IMAP in the settings (in Gmail: Settings → Forwarding and POP/IMAP). Then click "Test account".',
    },
    adminAction: {
      pl: 'Sprawdź w panelu administracyjnym dostawcy, czy dostęp POP3 i IMAP jest dozwolony dla tego użytkownika.',
      en: "Check in the provider's admin panel that POP3 and IMAP access is allowed for this user.",
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['pop3', 'imap'],
    examples: [
      '-ERR [SYS/PERM] Your account is not enabled for POP access. Please visit your Gmail settings page and enable your account for POP access.',
      '-ERR POP access is disabled',
      'a1 NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)',
      'a1 NO IMAP access is disabled for this account',
    ],
  },
  {
    id: 'mailbox-in-use',
    area: 'receiving',
    title: { pl: 'Skrzynkę blokuje inny program', en: 'Another program is using the mailbox' },
    cause: {
      pl: 'Inny program właśnie pobiera pocztę z tej skrzynki przez POP3, a serwer pozwala tylko na jedno takie połączenie naraz.',
      en: 'Another program is collecting mail from this mailbox over POP3 right now, and the server allows only one such connection at a time.',
    },
    userAction: {
      pl: 'Nic nie musisz robić – spróbujemy przy następnym sprawdzaniu poczty. Jeśli błąd się powtarza, sprawdź, czy inny program nie pobiera poczty z tej skrzynki bardzo często.',
      en: 'Nothing to do: we will try again at the next mail check. If it keeps happening, check whether another program collects mail from this mailbox very often.',
    },
    adminAction: {
      pl: 'Jeśli blokada nie znika, sprawdź na serwerze, czy nie pozostała po zerwanym połączeniu.',
      en: 'If the lock does not clear, check on the server whether a broken connection left it behind.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['pop3'],
    examples: ['-ERR [IN-USE] Unable to lock maildrop: Mailbox is locked by POP server'],
  },
  {
    id: 'uidl-unsupported',
    area: 'receiving',
    title: { pl: 'Serwer nie obsługuje UIDL', en: 'The server does not support UIDL' },
    cause: {
      pl: 'Serwer POP3 nie podaje stałych identyfikatorów wiadomości (UIDL). Już pobrane wiadomości rozpoznajemy wtedy po treści – to działa, ale wolniej.',
      en: 'The POP3 server does not give permanent message identifiers (UIDL). We then recognise messages already collected by their content, which works but is slower.',
    },
    userAction: {
      pl: 'Nic nie musisz robić. Jeśli dostawca obsługuje IMAP, możesz przełączyć odbieranie na IMAP.',
      en: 'Nothing to do. If your provider supports IMAP, you can switch receiving to IMAP.',
    },
    adminAction: {
      pl: 'Jeśli to możliwe, włącz obsługę UIDL na serwerze POP3.',
      en: 'Enable UIDL support on the POP3 server if possible.',
    },
    retryable: false,
    pausesAddress: false,
    severity: 'info',
    appliesTo: ['pop3'],
    examples: ['-ERR Unknown command: UIDL'],
  },
  {
    id: 'incoming-message-too-large',
    area: 'receiving',
    title: {
      pl: 'Wiadomość w skrzynce jest za duża do pobrania',
      en: 'A message in the mailbox is too large to collect',
    },
    cause: {
      pl: 'W skrzynce jest wiadomość większa niż limit ustawiony w mailroom, więc jej nie pobraliśmy. Pozostałe wiadomości pobieramy normalnie.',
      en: 'The mailbox holds a message larger than the limit set in mailroom, so we did not collect it. Other messages are collected as usual.',
    },
    userAction: {
      pl: 'Otwórz tę wiadomość w poczcie w przeglądarce. Jeśli dotyczy zadania, przekaż jej treść lub załączniki w inny sposób.',
      en: 'Open that message in webmail. If it belongs to a task, pass on its content or attachments another way.',
    },
    adminAction: {
      pl: 'W razie potrzeby podnieś w konfiguracji mailroom limit rozmiaru pobieranych wiadomości.',
      en: 'If needed, raise the size limit for collected messages in the mailroom configuration.',
    },
    retryable: false,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['pop3', 'imap'],
    examples: [],
  },
  {
    // A POP3/IMAP server sent a message much larger than its LIST/RFC822.SIZE said: stopped, set aside (its id).
    id: 'incoming-message-larger-than-listed',
    area: 'receiving',
    title: {
      pl: 'Serwer wysłał wiadomość większą, niż zapowiedział',
      en: 'The server sent a message larger than it announced',
    },
    cause: {
      pl: 'Serwer podał rozmiar wiadomości, a potem zaczął wysyłać znacznie więcej danych. mailroom przerwał jej pobieranie i odłożył ją jako nieczytelną; przy następnym odbiorze pobierze pozostałe wiadomości.',
      en: 'The server gave a message size and then started sending far more data. mailroom stopped collecting it and set it aside as unreadable; the next collection picks up the other messages.',
    },
    userAction: {
      pl: 'Otwórz tę wiadomość w poczcie w przeglądarce. Jeśli błąd się powtarza, zgłoś go administratorowi.',
      en: 'Open that message in webmail. If the error keeps coming back, tell your administrator.',
    },
    adminAction: {
      pl: 'Serwer poczty podaje błędne rozmiary wiadomości (w POP3 polecenie LIST, w IMAP pole RFC822.SIZE). Zgłoś to dostawcy poczty.',
      en: 'The mail server reports wrong message sizes (the LIST command in POP3, RFC822.SIZE in IMAP). Report it to the mail provider.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['pop3', 'imap'],
    examples: [],
  },
  {
    // A POP3 listing names every message in the maildrop; past our cap we refuse to read it.
    id: 'mailbox-too-many-messages',
    area: 'receiving',
    title: {
      pl: 'W skrzynce jest za dużo wiadomości, by je odebrać przez POP3',
      en: 'The mailbox holds too many messages to collect over POP3',
    },
    cause: {
      pl: 'Przez POP3 serwer przy każdym odbiorze podaje listę wszystkich wiadomości w skrzynce. W tej skrzynce jest ich więcej, niż mailroom odczytuje za jednym razem, więc nowe wiadomości nie są pobierane.',
      en: 'Over POP3 the server lists every message in the mailbox at each collection. This mailbox holds more than mailroom reads at once, so new messages are not collected.',
    },
    userAction: {
      pl: 'Przenieś starsze wiadomości do innego folderu (np. Archiwum) albo usuń je w poczcie w przeglądarce. Odbiór wznowi się sam.',
      en: 'Move older messages to another folder (e.g. Archive) or delete them in webmail. Collection resumes by itself.',
    },
    adminAction: {
      pl: 'Przełącz ten adres na IMAP (odczytuje tylko nowe wiadomości). Jeśli zostaje przy POP3, rozważ usuwanie wiadomości z serwera po pobraniu, żeby skrzynka znów się nie zapełniła.',
      en: 'Switch this address to IMAP (it reads only new messages). If it stays on POP3, consider deleting messages from the server after collection, so the mailbox does not fill up again.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['pop3'],
    examples: [],
  },
  {
    id: 'pop3-server-refused',
    area: 'receiving',
    title: { pl: 'Serwer POP3 odmówił', en: 'The POP3 server refused' },
    cause: {
      pl: 'Serwer POP3 odpowiedział błędem, którego nie rozpoznajemy. Jego dokładna odpowiedź jest poniżej i zwykle wyjaśnia, co się stało.',
      en: 'The POP3 server answered with an error we do not recognise. Its exact reply is below and usually explains what happened.',
    },
    userAction: {
      pl: 'Przeczytaj odpowiedź serwera poniżej. Sprawdź login, hasło i ustawienia skrzynki w poczcie w przeglądarce; jeśli to nie pomoże, przekaż odpowiedź administratorowi.',
      en: "Read the server's reply below. Check the login, password and mailbox settings in webmail; if that does not help, forward the reply to your administrator.",
    },
    adminAction: {
      pl: 'Sprawdź logi serwera poczty dla tego konta razem z odpowiedzią serwera.',
      en: "Check the mail server's logs for this account together with the reply.",
    },
    // Receiving keeps polling on its schedule; a pause needs a cause we understand.
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['pop3'],
    examples: ['-ERR Something went wrong'],
  },
  {
    id: 'imap-server-refused',
    area: 'receiving',
    title: { pl: 'Serwer IMAP odmówił', en: 'The IMAP server refused' },
    cause: {
      pl: 'Serwer IMAP odpowiedział błędem, którego nie rozpoznajemy. Jego dokładna odpowiedź jest poniżej i zwykle wyjaśnia, co się stało.',
      en: 'The IMAP server answered with an error we do not recognise. Its exact reply is below and usually explains what happened.',
    },
    userAction: {
      pl: 'Przeczytaj odpowiedź serwera poniżej. Sprawdź login, hasło i ustawienia skrzynki w poczcie w przeglądarce; jeśli to nie pomoże, przekaż odpowiedź administratorowi.',
      en: "Read the server's reply below. Check the login, password and mailbox settings in webmail; if that does not help, forward the reply to your administrator.",
    },
    adminAction: {
      pl: 'Sprawdź logi serwera poczty dla tego konta razem z odpowiedzią serwera.',
      en: "Check the mail server's logs for this account together with the reply.",
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['imap'],
    examples: ['a1 NO Something went wrong'],
  },
];
