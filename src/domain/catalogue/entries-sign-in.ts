import type { CatalogueEntry } from './catalogue-entry.js';

const GOOGLE_APP_PASSWORDS = 'https://support.google.com/accounts/answer/185833';

/** Sign-in failures: the server did not accept how we log in. */
export const SIGN_IN_ENTRIES: readonly CatalogueEntry[] = [
  {
    id: 'wrong-password',
    area: 'sign-in',
    title: { pl: 'Nieprawidłowy login lub hasło', en: 'Wrong login or password' },
    cause: {
      pl: 'Serwer poczty nie przyjął loginu lub hasła tego adresu. Najczęściej hasło zostało zmienione, ma literówkę albo jako login podano coś innego niż pełny adres e-mail.',
      en: 'The mail server did not accept the login or password of this address. Usually the password was changed, has a typo, or the login is not the full email address.',
    },
    userAction: {
      pl: 'W ustawieniach adresu wpisz hasło ponownie (bez spacji na początku i na końcu) i kliknij „Testuj konto”. Loginem jest zwykle pełny adres e-mail. Jeśli hasło na pewno jest dobre, sprawdź w poczcie w przeglądarce, czy dostęp dla programów pocztowych jest włączony.',
      en: 'In the address settings, enter the password again (no spaces at either end) and click "Test account". The login is usually the full email address. If the password is certainly right, check in webmail that access for mail programs is switched on.',
    },
    adminAction: {
      pl: 'Sprawdź, czy konto istnieje i nie jest zablokowane, czy wymaga hasła aplikacji lub logowania przez OAuth i czy serwer przyjmuje logowanie z programów pocztowych (SMTP AUTH, POP3, IMAP).',
      en: 'Check that the account exists and is not locked, whether it needs an app password or OAuth sign-in, and that the server accepts sign-in from mail programs (SMTP AUTH, POP3, IMAP).',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    examples: [
      '535 5.7.8 Error: authentication failed: authentication failure',
      '535 Authentication credentials invalid',
      '-ERR [AUTH] Authentication failed.',
      'a1 NO [AUTHENTICATIONFAILED] Authentication failed.',
    ],
  },
  {
    id: 'gmail-password-rejected',
    area: 'sign-in',
    title: { pl: 'Google nie przyjął hasła', en: 'Google did not accept the password' },
    cause: {
      pl: 'Google odrzucił hasło. Najczęściej użyto zwykłego hasła do konta Google, a programy pocztowe wymagają hasła aplikacji. Zdarza się też, że hasło aplikacji wklejono ze spacjami albo konto jest objęte programem ochrony zaawansowanej.',
      en: 'Google rejected the password. Usually the normal Google account password was used, while mail programs need an app password. Sometimes the app password was pasted with spaces, or the account is in Advanced Protection.',
    },
    userAction: {
      pl: 'Włącz weryfikację dwuetapową na koncie Google, utwórz hasło aplikacji i wklej je w ustawieniach adresu (16 znaków, bez spacji). Jeśli widzisz przycisk „Połącz z Google”, użyj go zamiast hasła.',
      en: 'Turn on 2-Step Verification for the Google account, create an app password and paste it into the address settings as 16 characters without spaces. If you see "Connect with Google", use it instead of a password.',
    },
    adminAction: {
      pl: 'W Google Workspace sprawdź, czy użytkownicy mogą tworzyć hasła aplikacji i czy zasady nie wymagają logowania przez OAuth. Jeśli wymagają, skonfiguruj w mailroom połączenie OAuth z Google.',
      en: 'In Google Workspace, check that users may create app passwords and that policies do not require OAuth sign-in. If they do, set up the Google OAuth connection in mailroom.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp'],
    providers: ['gmail'],
    helpUrl: GOOGLE_APP_PASSWORDS,
    examples: [
      '535-5.7.8 Username and Password not accepted. For more information, go to 535 5.7.8 https://support.google.com/mail/?p=BadCredentials - gsmtp',
    ],
  },
  {
    id: 'gmail-app-password-required',
    area: 'sign-in',
    title: { pl: 'Google wymaga hasła aplikacji', en: 'Google requires an app password' },
    cause: {
      pl: 'Na koncie Google jest włączona weryfikacja dwuetapowa, więc programy pocztowe nie mogą logować się zwykłym hasłem.',
      en: '2-Step Verification is on for this Google account, so mail programs cannot sign in with the normal password.',
    },
    userAction: {
      pl: 'Utwórz hasło aplikacji w ustawieniach konta Google (sekcja „Hasła do aplikacji”) i wklej je w ustawieniach adresu zamiast zwykłego hasła, bez spacji. Potem kliknij „Testuj konto”.',
      en: 'Create an app password in your Google account settings ("App passwords") and paste it into the address settings instead of the normal password, without spaces. Then click "Test account".',
    },
    adminAction: {
      pl: 'Jeśli w Google Workspace hasła aplikacji są zablokowane, zezwól na nie temu użytkownikowi albo skonfiguruj w mailroom połączenie OAuth z Google.',
      en: 'If app passwords are blocked in Google Workspace, allow them for this user or set up the Google OAuth connection in mailroom.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    providers: ['gmail'],
    helpUrl: GOOGLE_APP_PASSWORDS,
    examples: [
      '534-5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp',
      '-ERR [AUTH] Application-specific password required: https://support.google.com/accounts/answer/185833',
    ],
  },
  {
    id: 'app-password-required',
    area: 'sign-in',
    title: { pl: 'Wymagane hasło aplikacji', en: 'App password required' },
    cause: {
      pl: 'Dostawca poczty nie przyjmuje zwykłego hasła w programach pocztowych – zwykle dlatego, że na koncie włączono logowanie dwuetapowe. Potrzebne jest osobne hasło aplikacji.',
      en: 'The mail provider does not accept the normal password from mail programs, usually because two-step sign-in is on. A separate app password is needed.',
    },
    userAction: {
      pl: 'Zaloguj się do poczty w przeglądarce, w ustawieniach bezpieczeństwa utwórz hasło aplikacji (hasło dla programu pocztowego) i wpisz je w ustawieniach adresu zamiast zwykłego hasła. Potem kliknij „Testuj konto”.',
      en: 'Sign in to webmail, create an app password (a password for mail programs) in the security settings and enter it in the address settings instead of the normal password. Then click "Test account".',
    },
    adminAction: {
      pl: 'Sprawdź w panelu dostawcy, czy użytkownicy mogą tworzyć hasła aplikacji dla programów pocztowych.',
      en: "Check in the provider's admin panel that users may create app passwords for mail programs.",
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    examples: [
      '535 5.7.8 Application password is required',
      'a1 NO [AUTHENTICATIONFAILED] App password required',
    ],
  },
  {
    id: 'gmail-pop-imap-login-refused',
    area: 'sign-in',
    title: {
      pl: 'Gmail odmówił logowania do odbierania poczty',
      en: 'Gmail refused the sign-in for receiving mail',
    },
    cause: {
      pl: 'Gmail nie przyjął logowania przez POP3 lub IMAP. Zwykle odbieranie przez POP lub IMAP jest wyłączone w ustawieniach Gmaila albo użyto zwykłego hasła zamiast hasła aplikacji (po włączeniu weryfikacji dwuetapowej lub w Google Workspace).',
      en: 'Gmail did not accept the POP3 or IMAP sign-in. Usually POP or IMAP is switched off in Gmail settings, or the normal password was used instead of an app password (after 2-Step Verification was turned on, or in Google Workspace).',
    },
    userAction: {
      pl: 'W Gmailu otwórz Ustawienia → Przekazywanie i POP/IMAP i włącz POP (lub IMAP). Następnie utwórz hasło aplikacji i wpisz je w ustawieniach adresu albo użyj przycisku „Połącz z Google”, jeśli jest dostępny.',
      en: 'In Gmail, open Settings → Forwarding and POP/IMAP and enable POP (or IMAP). Then create an app password and enter it in the address settings, or use "Connect with Google" if it is available.',
    },
    adminAction: {
      pl: 'W konsoli administracyjnej Google Workspace sprawdź, czy dostęp POP i IMAP jest dozwolony dla użytkowników i czy hasła aplikacji nie są zablokowane; w razie potrzeby skonfiguruj OAuth.',
      en: 'In the Google Workspace Admin console, check that POP and IMAP access is allowed for users and that app passwords are not blocked; set up OAuth if needed.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['pop3', 'imap'],
    providers: ['gmail'],
    helpUrl: GOOGLE_APP_PASSWORDS,
    examples: [
      '-ERR [AUTH] Username and password not accepted.',
      'a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)',
    ],
  },
  {
    id: 'web-login-required',
    area: 'sign-in',
    title: { pl: 'Logowanie zablokowane jako podejrzane', en: 'Sign-in blocked as suspicious' },
    cause: {
      pl: 'Dostawca poczty uznał logowanie z naszego serwera za podejrzane (np. z nowego miejsca) i zablokował je do czasu, aż właściciel konta je potwierdzi.',
      en: 'The mail provider treated the sign-in from our server as suspicious (for example, from a new location) and blocked it until the account owner confirms it.',
    },
    userAction: {
      pl: 'Zaloguj się do poczty w przeglądarce i potwierdź, że to była Twoja aktywność (jeśli pojawi się ostrzeżenie). Potem kliknij „Testuj konto” w ustawieniach adresu.',
      en: 'Sign in to webmail and confirm the activity was yours (if a security alert appears). Then click "Test account" in the address settings.',
    },
    adminAction: {
      pl: 'Jeśli blokada się powtarza, rozważ hasło aplikacji lub logowanie przez OAuth i sprawdź alerty bezpieczeństwa konta u dostawcy.',
      en: "If it keeps happening, consider an app password or OAuth sign-in, and check the account's security alerts at the provider.",
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    providers: ['gmail'],
    helpUrl: 'https://support.google.com/mail/answer/78754',
    examples: [
      '535 5.7.1 Please log in with your web browser and then try again.',
      '534-5.7.14 Please log in via your web browser and then try again. - gsmtp',
      '-ERR [AUTH] Web login required: https://support.google.com/mail/answer/78754',
      'a1 NO [ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)',
    ],
  },
  {
    id: 'too-many-login-attempts',
    area: 'sign-in',
    title: { pl: 'Zbyt wiele logowań w krótkim czasie', en: 'Too many sign-ins in a short time' },
    cause: {
      pl: 'Serwer poczty chwilowo ogranicza logowania do tej skrzynki, bo w krótkim czasie było ich za dużo – także z innych programów, np. z telefonu.',
      en: 'The mail server is temporarily limiting sign-ins to this mailbox because there were too many in a short time, including from other programs such as a phone.',
    },
    userAction: {
      pl: 'Nic nie musisz robić – spróbujemy ponownie później. Jeśli błąd wraca, sprawdź, czy inne programy nie łączą się z tą skrzynką zbyt często.',
      en: 'Nothing to do: we will try again later. If it keeps coming back, check whether other programs connect to this mailbox too often.',
    },
    adminAction: {
      pl: 'Zmniejsz liczbę równoległych połączeń i częstotliwość sprawdzania poczty dla tego adresu; sprawdź limity logowań u dostawcy.',
      en: "Reduce parallel connections and how often mail is checked for this address; check the provider's sign-in limits.",
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    backoff: 'long',
    appliesTo: ['smtp', 'pop3', 'imap'],
    helpUrl: 'https://support.google.com/a/answer/3726730',
    examples: [
      '454 4.7.0 Too many login attempts, please try again later. - gsmtp',
      '-ERR [LOGIN-DELAY] Minimum time between mail checks violation',
    ],
  },
  {
    id: 'oauth-grant-invalid',
    area: 'sign-in',
    title: { pl: 'Trzeba ponownie połączyć konto', en: 'The account needs to be connected again' },
    cause: {
      pl: 'Dostęp do skrzynki nadany przyciskiem „Połącz z Google” lub „Połącz z Microsoft” wygasł albo został cofnięty – np. po zmianie hasła lub usunięciu dostępu w ustawieniach konta.',
      en: 'The mailbox access granted with "Connect with Google" or "Connect with Microsoft" has expired or was revoked, for example after a password change or after removing the access in the account settings.',
    },
    userAction: {
      pl: 'Otwórz ustawienia adresu, kliknij ponownie „Połącz z Google” lub „Połącz z Microsoft”, zaloguj się i zaakceptuj dostęp.',
      en: 'Open the address settings, click "Connect with Google" or "Connect with Microsoft" again, sign in and approve the access.',
    },
    adminAction: {
      pl: 'Sprawdź, czy aplikacja OAuth mailroom jest nadal dozwolona w organizacji (Google Workspace lub Microsoft Entra ID) i ma uprawnienia do poczty.',
      en: 'Check that the mailroom OAuth app is still allowed in your organisation (Google Workspace or Microsoft Entra ID) and has mail permissions.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    providers: ['gmail', 'microsoft'],
    examples: [
      'AUTH XOAUTH2: 535 5.7.8 Username and Password not accepted',
      'AUTH XOAUTH2: 535 5.7.3 Authentication unsuccessful',
    ],
  },
  {
    id: 'auth-method-unsupported',
    area: 'sign-in',
    title: { pl: 'Serwer nie oferuje pasującej metody logowania', en: 'No usable sign-in method' },
    cause: {
      pl: 'Serwer nie udostępnił metody logowania, której możemy użyć przy obecnych ustawieniach. Często serwer pozwala się zalogować dopiero po włączeniu szyfrowania albo nie obsługuje logowania na tym porcie.',
      en: 'The server offered no sign-in method we can use with the current settings. Often it allows sign-in only once encryption is on, or does not support sign-in on this port at all.',
    },
    userAction: {
      pl: 'Sprawdź port i szyfrowanie w ustawieniach adresu (dla wysyłki zwykle 587 ze STARTTLS lub 465 z SSL/TLS) i kliknij „Testuj konto”.',
      en: 'Check the port and encryption in the address settings (for sending, usually 587 with STARTTLS or 465 with SSL/TLS) and click "Test account".',
    },
    adminAction: {
      pl: 'Włącz na serwerze uwierzytelnianie (SMTP AUTH / SASL) metodą PLAIN lub LOGIN przez szyfrowane połączenie albo metodą XOAUTH2.',
      en: 'Enable authentication on the server (SMTP AUTH / SASL) with PLAIN or LOGIN over an encrypted connection, or with XOAUTH2.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp', 'pop3', 'imap'],
    examples: [
      '534 5.7.9 Authentication mechanism is too weak',
      '504 5.5.4 Unrecognized authentication type',
    ],
  },
];
