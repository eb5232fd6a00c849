import type { CatalogueEntry } from './catalogue-entry.js';

/** The provider or the organisation switched something off for this account, or we cannot use its secret. */
export const ACCOUNT_ENTRIES: readonly CatalogueEntry[] = [
  {
    id: 'microsoft-smtp-auth-disabled',
    area: 'account',
    title: {
      pl: 'Microsoft 365: logowanie SMTP jest wyłączone',
      en: 'Microsoft 365: SMTP sign-in is turned off',
    },
    cause: {
      pl: 'Organizacja w Microsoft 365 wyłączyła logowanie hasłem dla programów pocztowych (SMTP AUTH) – dla całej firmy albo dla tej skrzynki – lub blokują je domyślne ustawienia zabezpieczeń (Security Defaults).',
      en: 'Your Microsoft 365 organisation has switched off password sign-in for mail programs (SMTP AUTH), for the whole tenant or for this mailbox, or Security Defaults block it.',
    },
    userAction: {
      pl: 'Przekaż ten komunikat administratorowi Microsoft 365. Jeśli widzisz przycisk „Połącz z Microsoft”, użyj go zamiast hasła.',
      en: 'Forward this message to your Microsoft 365 administrator. If you see "Connect with Microsoft", use it instead of a password.',
    },
    adminAction: {
      pl: 'W centrum administracyjnym Microsoft 365 włącz „Uwierzytelniony protokół SMTP” (Authenticated SMTP) dla tej skrzynki i sprawdź ustawienie dla całej organizacji; dostosuj Security Defaults lub zasady dostępu warunkowego. Docelowo skonfiguruj OAuth.',
      en: 'In the Microsoft 365 admin center, turn on Authenticated SMTP for this mailbox and check the organisation-wide setting; adjust Security Defaults or Conditional Access. In the long run, set up OAuth.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp'],
    providers: ['microsoft'],
    helpUrl:
      'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
    examples: [
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
      "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
      '535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.',
    ],
  },
  {
    id: 'microsoft-authentication-unsuccessful',
    area: 'account',
    title: { pl: 'Microsoft 365 nie przyjął logowania', en: 'Microsoft 365 did not accept the sign-in' },
    cause: {
      pl: 'Microsoft odrzucił logowanie. Albo login lub hasło są nieprawidłowe, albo dla tej skrzynki zablokowano logowanie hasłem w programach pocztowych (tzw. uwierzytelnianie podstawowe).',
      en: 'Microsoft rejected the sign-in. Either the login or password is wrong, or password sign-in from mail programs (basic authentication) is blocked for this mailbox.',
    },
    userAction: {
      pl: 'Sprawdź login (pełny adres e-mail) i hasło; jeśli masz włączone uwierzytelnianie wieloskładnikowe, użyj hasła aplikacji. Najlepiej użyj przycisku „Połącz z Microsoft”, jeśli jest dostępny.',
      en: 'Check the login (the full email address) and password; if multi-factor authentication is on, use an app password. Best, use "Connect with Microsoft" if it is available.',
    },
    adminAction: {
      pl: 'Włącz „Uwierzytelniony protokół SMTP” dla skrzynki, sprawdź zasady dostępu warunkowego i blokady konta; docelowo przejdź na OAuth.',
      en: 'Turn on Authenticated SMTP for the mailbox and check Conditional Access and account locks; move to OAuth in the long run.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp'],
    providers: ['microsoft'],
    examples: [
      '535 5.7.3 Authentication unsuccessful [AM0PR02CA0123.eurprd02.prod.outlook.com]',
      '535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.',
    ],
  },
  {
    id: 'microsoft-basic-auth-retired',
    area: 'account',
    title: {
      pl: 'Microsoft wycofuje logowanie hasłem do SMTP',
      en: 'Microsoft is retiring password sign-in for SMTP',
    },
    cause: {
      pl: 'Microsoft wyłącza uwierzytelnianie podstawowe (logowanie samym hasłem) przy wysyłaniu poczty z programów przez SMTP. Z tej skrzynki nie da się już wysyłać po zalogowaniu hasłem.',
      en: 'Microsoft is switching off basic authentication (password-only sign-in) for sending mail from programs over SMTP. This mailbox can no longer send after a password sign-in.',
    },
    userAction: {
      pl: 'Użyj przycisku „Połącz z Microsoft” w ustawieniach adresu. Jeśli go nie ma, poproś administratora o skonfigurowanie tej opcji.',
      en: 'Use "Connect with Microsoft" in the address settings. If it is not there, ask your administrator to set it up.',
    },
    adminAction: {
      pl: 'Skonfiguruj w mailroom OAuth dla Microsoft (XOAUTH2). Aktualny harmonogram wycofania sprawdź na blogu Microsoft Exchange – terminy były już kilka razy przesuwane.',
      en: 'Set up Microsoft OAuth (XOAUTH2) in mailroom. Check the current retirement schedule on the Microsoft Exchange blog; the dates have moved several times.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp'],
    providers: ['microsoft'],
    helpUrl:
      'https://techcommunity.microsoft.com/blog/exchange/exchange-online-to-retire-basic-auth-for-client-submission-smtp-auth/4114750',
    examples: [
      '550 5.7.30 Basic authentication is not supported for Client Submission.',
      '535 5.7.3 Basic authentication is disabled for this mailbox.',
    ],
  },
  {
    id: 'mail-client-access-disabled',
    area: 'account',
    title: {
      pl: 'Dostęp dla programów pocztowych jest wyłączony',
      en: 'Access for mail programs is switched off',
    },
    cause: {
      pl: 'Dostawca poczty wymaga, aby w ustawieniach skrzynki włączyć dostęp dla programów pocztowych (POP3, IMAP, SMTP). Ta opcja jest wyłączona: albo nigdy jej nie włączono, albo dostawca ją wyłączył, np. po długim nieużywaniu konta lub podejrzeniu nadużycia.',
      en: 'The mail provider requires access for mail programs (POP3, IMAP, SMTP) to be switched on in the mailbox settings. It is off: either it was never switched on, or the provider turned it off, e.g. after long inactivity or suspected abuse.',
    },
    userAction: {
      pl: 'Zaloguj się do poczty w przeglądarce i w ustawieniach włącz dostęp dla programów pocztowych (POP3, IMAP i SMTP). Jeśli dostawca oferuje hasła aplikacji, utwórz je i wpisz w ustawieniach adresu. Potem kliknij „Testuj konto”.',
      en: 'Sign in to webmail and switch on access for mail programs (POP3, IMAP and SMTP) in the settings. If the provider offers app passwords, create one and enter it in the address settings. Then click "Test account".',
    },
    adminAction: {
      pl: 'Jeśli skrzynka jest w domenie firmowej, sprawdź w panelu dostawcy, czy dostęp POP3, IMAP i SMTP jest dozwolony dla tego konta.',
      en: "If the mailbox is on a company domain, check in the provider's panel that POP3, IMAP and SMTP access is allowed for this account.",
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    examples: [
      '-ERR this user does not have access rights to this service',
      '535 5.7.8 Error: access for mail clients is disabled',
    ],
  },
  {
    id: 'account-blocked',
    area: 'account',
    title: { pl: 'Dostawca zablokował konto lub wysyłkę', en: 'The provider blocked the account or sending' },
    cause: {
      pl: 'Dostawca poczty zablokował to konto albo wysyłanie z niego – najczęściej dlatego, że podejrzewa przejęcie konta lub rozsyłanie spamu.',
      en: 'The mail provider has blocked this account, or sending from it, most often because it suspects the account was taken over or is sending spam.',
    },
    userAction: {
      pl: 'Zaloguj się do poczty w przeglądarce i wykonaj kroki, o które prosi dostawca (np. zmień hasło, potwierdź numer telefonu). Nowe hasło wpisz w ustawieniach adresu. Jeśli konta nie da się odblokować, skontaktuj się z pomocą techniczną dostawcy.',
      en: "Sign in to webmail and follow the provider's steps (e.g. change the password, confirm your phone number). Enter the new password in the address settings. If the account cannot be unblocked, contact the provider's support.",
    },
    adminAction: {
      pl: 'Sprawdź, czy konto nie zostało przejęte (historia logowań, reguły przekazywania, wysłane wiadomości). Po zabezpieczeniu konta poproś dostawcę o odblokowanie.',
      en: 'Check whether the account was compromised (sign-in history, forwarding rules, sent items). Once it is secure, ask the provider to unblock it.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    examples: [
      '550 Message sending for this account is disabled',
      '554 5.7.1 Your account has been suspended',
      '-ERR [SYS/PERM] Account is blocked',
      'a1 NO [CONTACTADMIN] Account disabled',
    ],
  },
  {
    id: 'microsoft-sender-restricted',
    area: 'account',
    title: {
      pl: 'Microsoft 365 zablokował wysyłkę z tej skrzynki',
      en: 'Microsoft 365 blocked sending from this mailbox',
    },
    cause: {
      pl: 'Microsoft ograniczył wysyłanie z tej skrzynki, bo podejrzewa rozsyłanie spamu – często po przejęciu konta.',
      en: 'Microsoft restricted sending from this mailbox because it suspects spam, often after the account was compromised.',
    },
    userAction: {
      pl: 'Od razu zmień hasło do konta Microsoft i powiadom administratora. Nowe hasło wpisz w ustawieniach adresu.',
      en: 'Change the Microsoft account password right away and tell your administrator. Enter the new password in the address settings.',
    },
    adminAction: {
      pl: 'Zabezpiecz konto (hasło, aktywne sesje, reguły przekazywania), a następnie usuń użytkownika z listy jednostek objętych ograniczeniami (Restricted entities) w portalu Microsoft Defender.',
      en: 'Secure the account (password, active sessions, forwarding rules), then remove the user from Restricted entities in the Microsoft Defender portal.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp'],
    providers: ['microsoft'],
    examples: [
      '550 5.1.8 Access denied, bad outbound sender',
      '554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; WASCL UserAction verdict is not None',
    ],
  },
  {
    id: 'credential-unreadable',
    area: 'account',
    title: { pl: 'Nie można odczytać zapisanego hasła', en: 'The saved password cannot be read' },
    cause: {
      pl: 'mailroom nie może odszyfrować hasła zapisanego dla tego adresu. Zwykle oznacza to, że zmienił się klucz szyfrowania serwera mailroom albo dane zostały uszkodzone. Hasło nie zostało nigdzie wysłane.',
      en: "mailroom cannot decrypt the password saved for this address. Usually the server's encryption key changed or the data was damaged. The password was not sent anywhere.",
    },
    userAction: {
      pl: 'Wpisz hasło ponownie w ustawieniach adresu i kliknij „Testuj konto”. Jeśli ten błąd dotyczy wielu adresów naraz, zgłoś to administratorowi.',
      en: 'Enter the password again in the address settings and click "Test account". If many addresses show this at once, tell your administrator.',
    },
    adminAction: {
      pl: 'Sprawdź konfigurację kluczy szyfrowania (aktywny klucz oraz wcześniejsze klucze po rotacji). Jeśli klucz przepadł, użytkownicy muszą ponownie wpisać hasła.',
      en: 'Check the encryption key configuration (the active key and earlier keys after a rotation). If a key was lost, users must enter their passwords again.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    examples: [],
  },
];
