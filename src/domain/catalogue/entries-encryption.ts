import type { CatalogueEntry } from './catalogue-entry.js';

/** TLS: encryption mode vs port, handshakes, STARTTLS and certificates (M54). */
export const ENCRYPTION_ENTRIES: readonly CatalogueEntry[] = [
  {
    id: 'tls-mode-mismatch',
    area: 'encryption',
    title: { pl: 'Szyfrowanie nie pasuje do portu', en: 'The encryption setting does not match the port' },
    cause: {
      pl: 'Wybrany tryb szyfrowania nie pasuje do portu: np. SSL/TLS na porcie 587, który wymaga STARTTLS, albo STARTTLS lub brak szyfrowania na porcie 465, który wymaga SSL/TLS. Możliwe też, że serwer wymaga szyfrowania, a jest ono wyłączone.',
      en: 'The encryption mode does not match the port: e.g. SSL/TLS on port 587, which needs STARTTLS, or STARTTLS or no encryption on port 465, which needs SSL/TLS. The server may also require encryption while it is off.',
    },
    userAction: {
      pl: 'Ustaw: port 465 – SSL/TLS, port 587 – STARTTLS; do odbierania: 995 (POP3) i 993 (IMAP) – SSL/TLS. Potem kliknij „Testuj konto”.',
      en: 'Use port 465 with SSL/TLS or 587 with STARTTLS; for receiving, 995 (POP3) and 993 (IMAP) with SSL/TLS. Then click "Test account".',
    },
    adminAction: {
      pl: 'Sprawdź, jakiego trybu szyfrowania serwer używa na każdym porcie, i przekaż pracownikom właściwe pary port–szyfrowanie.',
      en: 'Check which encryption mode the server uses on each port and give staff the right port and encryption pairs.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['tls', 'smtp', 'pop3', 'imap'],
    helpUrl: 'https://support.google.com/a/answer/3726730',
    examples: [
      '530 5.7.0 Must issue a STARTTLS command first.',
      'ssl3_get_record:wrong version number',
      'a1 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure connections',
    ],
  },
  {
    id: 'tls-handshake-failed',
    area: 'encryption',
    title: {
      pl: 'Nie udało się nawiązać szyfrowanego połączenia',
      en: 'Could not set up an encrypted connection',
    },
    cause: {
      pl: 'Serwer i mailroom nie uzgodniły szyfrowania. Najczęściej serwer obsługuje tylko przestarzałe wersje szyfrowania (starsze niż TLS 1.2), których ze względów bezpieczeństwa nie używamy.',
      en: 'The server and mailroom could not agree on encryption. Most often the server only supports outdated encryption (older than TLS 1.2), which we do not use for security reasons.',
    },
    userAction: {
      pl: 'Sprawdź port i tryb szyfrowania w ustawieniach adresu. Jeśli są poprawne, przekaż ten komunikat administratorowi serwera poczty.',
      en: "Check the port and encryption mode in the address settings. If they are right, forward this message to the mail server's administrator.",
    },
    adminAction: {
      pl: 'Włącz na serwerze poczty TLS 1.2 lub nowszy z aktualnymi szyframi.',
      en: 'Enable TLS 1.2 or later with current ciphers on the mail server.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['tls'],
    examples: ['unsupported protocol', 'sslv3 alert handshake failure'],
  },
  {
    id: 'starttls-unavailable',
    area: 'encryption',
    title: { pl: 'Serwer nie oferuje szyfrowania STARTTLS', en: 'The server does not offer STARTTLS' },
    cause: {
      pl: 'Wybrano szyfrowanie STARTTLS, ale serwer go nie zaproponował albo odrzucił. Nie wysłaliśmy hasła, żeby nie trafiło do sieci bez szyfrowania. Możliwe też, że urządzenie sieciowe po drodze usuwa tę opcję.',
      en: 'STARTTLS was selected, but the server did not offer it or refused it. We did not send the password, so it never travelled unencrypted. A network device on the way may also be stripping this option.',
    },
    userAction: {
      pl: 'Sprawdź port i szyfrowanie: jeśli serwer obsługuje SSL/TLS, użyj portu 465 (wysyłka), 995 (POP3) lub 993 (IMAP). Nie wyłączaj szyfrowania.',
      en: 'Check the port and encryption: if the server supports SSL/TLS, use port 465 (sending), 995 (POP3) or 993 (IMAP). Do not turn encryption off.',
    },
    adminAction: {
      pl: 'Włącz STARTTLS na serwerze poczty albo SSL/TLS na osobnym porcie. Jeśli serwer go oferuje, sprawdź, czy zapora lub antywirus nie usuwa STARTTLS z odpowiedzi serwera.',
      en: "Enable STARTTLS on the mail server, or SSL/TLS on a separate port. If the server does offer it, check that no firewall or antivirus strips STARTTLS from the server's replies.",
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['tls', 'smtp', 'pop3', 'imap'],
    examples: [],
  },
  {
    id: 'certificate-untrusted',
    area: 'encryption',
    title: { pl: 'Certyfikat serwera nie jest zaufany', en: "The server's certificate is not trusted" },
    cause: {
      pl: 'Serwer przedstawił certyfikat, którego nie wystawił zaufany urząd certyfikacji (np. certyfikat samopodpisany). Nie możemy potwierdzić, że łączymy się z właściwym serwerem.',
      en: 'The server presented a certificate not issued by a trusted certificate authority (e.g. a self-signed one). We cannot confirm we are talking to the right server.',
    },
    userAction: {
      pl: 'Użyj oficjalnej nazwy serwera podanej przez dostawcę poczty. Jeśli to serwer firmowy, a administrator potwierdzi odcisk certyfikatu, możesz zaufać temu certyfikatowi w teście konta.',
      en: "Use the official server name from your mail provider. If it is a company server and your administrator confirms the certificate's fingerprint, you can trust this certificate in the account test.",
    },
    adminAction: {
      pl: 'Zainstaluj na serwerze certyfikat od zaufanego urzędu (np. Let’s Encrypt) razem z certyfikatami pośrednimi albo porównaj odcisk SHA-256 i przypnij ten certyfikat w mailroom.',
      en: "Install a certificate from a trusted authority (e.g. Let's Encrypt) with its intermediate certificates, or compare the SHA-256 fingerprint and pin this certificate in mailroom.",
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['tls'],
    examples: [
      'self-signed certificate',
      'unable to get local issuer certificate',
      'self-signed certificate in certificate chain',
    ],
  },
  {
    id: 'certificate-expired',
    area: 'encryption',
    title: { pl: 'Certyfikat serwera jest nieważny', en: "The server's certificate is not valid" },
    cause: {
      pl: 'Certyfikat serwera wygasł albo jeszcze nie zaczął obowiązywać, więc szyfrowanemu połączeniu nie można ufać.',
      en: "The server's certificate has expired or is not valid yet, so the encrypted connection cannot be trusted.",
    },
    userAction: {
      pl: 'Przekaż ten komunikat administratorowi serwera poczty lub dostawcy. Po odnowieniu certyfikatu kliknij „Testuj konto” w ustawieniach adresu.',
      en: 'Forward this message to the mail server\'s administrator or provider. Once the certificate is renewed, click "Test account" in the address settings.',
    },
    adminAction: {
      pl: 'Odnów certyfikat na serwerze poczty. Jeśli certyfikat „jeszcze nie obowiązuje”, sprawdź zegar systemowy serwera mailroom i serwera poczty.',
      en: 'Renew the certificate on the mail server. If it is "not yet valid", check the system clocks of the mailroom and mail servers.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['tls'],
    examples: ['certificate has expired', 'certificate is not yet valid'],
  },
  {
    id: 'certificate-wrong-name',
    area: 'encryption',
    title: {
      pl: 'Certyfikat wystawiono dla innej nazwy serwera',
      en: 'The certificate is for a different server name',
    },
    cause: {
      pl: 'Certyfikat serwera nie obejmuje nazwy wpisanej w ustawieniach. Często wpisano inną nazwę niż oficjalna (np. mail.firma.pl zamiast nazwy serwera firmy hostingowej).',
      en: "The server's certificate does not cover the name in the settings. Often a name other than the official one was typed (e.g. mail.company.com instead of the hosting company's server name).",
    },
    userAction: {
      pl: 'Wpisz nazwę serwera dokładnie taką, jaką podaje dostawca poczty (często jest to nazwa serwera firmy hostingowej), i kliknij „Testuj konto”.',
      en: 'Enter the server name exactly as your mail provider gives it (often the hosting company\'s server name) and click "Test account".',
    },
    adminAction: {
      pl: 'Użyj nazwy z certyfikatu (lista nazw jest w szczegółach certyfikatu) albo wystaw certyfikat obejmujący nazwę, której używają pracownicy.',
      en: 'Use a name listed in the certificate (see its details) or issue a certificate that covers the name staff use.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['tls'],
    examples: [
      "Hostname/IP does not match certificate's altnames: Host: mail.firma.pl. is not in the cert's altnames: DNS:serwer123.hosting.example",
    ],
  },
  {
    id: 'certificate-pin-changed',
    area: 'encryption',
    title: { pl: 'Certyfikat serwera się zmienił', en: "The server's certificate has changed" },
    cause: {
      pl: 'Serwer przedstawia inny certyfikat niż ten, któremu zaufano dla tego adresu. To może być zwykła wymiana certyfikatu, ale też próba podszycia się pod serwer, dlatego przestaliśmy się z nim łączyć.',
      en: 'The server presents a different certificate from the one trusted for this address. It may be a routine renewal, but it could also be someone impersonating the server, so we stopped connecting.',
    },
    userAction: {
      pl: 'Nie akceptuj nowego certyfikatu bez sprawdzenia. Poproś administratora o potwierdzenie jego odcisku (SHA-256), a potem zaufaj nowemu certyfikatowi w teście konta.',
      en: 'Do not accept the new certificate without checking. Ask your administrator to confirm its SHA-256 fingerprint, then trust the new certificate in the account test.',
    },
    adminAction: {
      pl: 'Porównaj odcisk SHA-256 nowego certyfikatu z certyfikatem zainstalowanym na serwerze poczty. Jeśli się zgadza, zaufaj mu w ustawieniach adresu; jeśli nie, sprawdź sieć pod kątem ataku typu man-in-the-middle.',
      en: "Compare the new certificate's SHA-256 fingerprint with the one installed on the mail server. If it matches, trust it in the address settings; if not, check the network for a man-in-the-middle attack.",
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['tls'],
    examples: [],
  },
  {
    id: 'certificate-invalid',
    area: 'encryption',
    title: { pl: 'Certyfikat serwera jest nieprawidłowy', en: "The server's certificate is invalid" },
    cause: {
      pl: 'Nie udało się zweryfikować certyfikatu serwera – np. jest uszkodzony, unieważniony albo używa niedozwolonych algorytmów.',
      en: "The server's certificate could not be verified: for example it is malformed, revoked, or uses disallowed algorithms.",
    },
    userAction: {
      pl: 'Przekaż ten komunikat administratorowi serwera poczty.',
      en: "Forward this message to the mail server's administrator.",
    },
    adminAction: {
      pl: 'Sprawdź certyfikat i łańcuch certyfikatów na serwerze poczty (np. poleceniem openssl s_client) i zainstaluj poprawny certyfikat.',
      en: 'Check the certificate and its chain on the mail server (e.g. with openssl s_client) and install a valid certificate.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['tls'],
    examples: ['certificate signature failure'],
  },
];
