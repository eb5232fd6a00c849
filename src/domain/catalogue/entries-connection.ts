import type { CatalogueEntry } from './catalogue-entry.js';

/** Reaching the server: our network policy, DNS, TCP and timeouts. */
export const CONNECTION_ENTRIES: readonly CatalogueEntry[] = [
  {
    // One generic text for every refused target: the message must not tell a caller why
    // (SECURITY.md §7 case 9, the error-oracle test).
    id: 'server-address-not-allowed',
    area: 'connection',
    title: { pl: 'Ten adres serwera jest niedozwolony', en: 'This server address is not allowed' },
    cause: {
      pl: 'Ze względów bezpieczeństwa mailroom nie łączy się z tym adresem serwera lub portem.',
      en: 'For security reasons, mailroom does not connect to this server address or port.',
    },
    userAction: {
      pl: 'Sprawdź nazwę serwera i port. Użyj publicznej nazwy serwera poczty podanej przez dostawcę (np. smtp.gmail.com). Jeśli to serwer w sieci firmowej, skontaktuj się z administratorem.',
      en: 'Check the server name and port. Use the public mail server name from your provider (e.g. smtp.gmail.com). If it is a server on the company network, contact your administrator.',
    },
    adminAction: {
      pl: 'Jeśli serwer w sieci wewnętrznej jest zaufany, dodaj go do listy dozwolonych celów w konfiguracji mailroom.',
      en: 'If a server on the internal network is trusted, add it to the allowed targets in the mailroom configuration.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['network'],
    examples: [],
  },
  {
    id: 'host-not-found',
    area: 'connection',
    title: { pl: 'Nie znaleziono serwera o tej nazwie', en: 'Server name not found' },
    cause: {
      pl: 'Nie udało się znaleźć serwera o podanej nazwie. Najczęściej w nazwie jest literówka; rzadziej chwilowo nie działa DNS.',
      en: 'No server with this name could be found. Usually the name has a typo; less often DNS is temporarily failing.',
    },
    userAction: {
      pl: 'Sprawdź nazwę serwera w ustawieniach adresu (np. smtp.gmail.com) i porównaj ją z instrukcją dostawcy poczty.',
      en: "Check the server name in the address settings (e.g. smtp.gmail.com) against your mail provider's instructions.",
    },
    adminAction: {
      pl: 'Sprawdź, czy nazwa ma rekord A lub AAAA w DNS i czy serwer mailroom ma działający resolver DNS.',
      en: 'Check that the name has an A or AAAA record in DNS and that the mailroom server has a working DNS resolver.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['network'],
    examples: ['getaddrinfo ENOTFOUND smtp.gmial.com', 'getaddrinfo EAI_AGAIN smtp.example.com'],
  },
  {
    id: 'connection-refused',
    area: 'connection',
    title: { pl: 'Serwer odrzucił połączenie', en: 'Connection refused' },
    cause: {
      pl: 'Na tym adresie i porcie żadna usługa nie przyjmuje połączeń: port jest nieprawidłowy, usługa poczty na serwerze nie działa albo połączenie blokuje zapora.',
      en: 'Nothing accepts connections at this address and port: the port is wrong, the mail service is down, or a firewall blocks it.',
    },
    userAction: {
      pl: 'Sprawdź nazwę serwera i numer portu (wysyłka: zwykle 587 lub 465; POP3: 995; IMAP: 993).',
      en: 'Check the server name and the port (sending: usually 587 or 465; POP3: 995; IMAP: 993).',
    },
    adminAction: {
      pl: 'Sprawdź, czy usługa poczty nasłuchuje na tym porcie i czy zapory (także po stronie mailroom) przepuszczają ruch na ten port.',
      en: 'Check that the mail service listens on that port and that firewalls (including on the mailroom side) allow traffic to it.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['network'],
    examples: ['connect ECONNREFUSED 203.0.113.10:587'],
  },
  {
    id: 'host-unreachable',
    area: 'connection',
    title: { pl: 'Serwer jest nieosiągalny', en: 'The server is unreachable' },
    cause: {
      pl: 'Nie ma połączenia sieciowego z tym serwerem – po drodze jest problem z siecią albo serwer jest wyłączony.',
      en: 'There is no network route to this server: there is a network problem on the way, or the server is down.',
    },
    userAction: {
      pl: 'Nic nie musisz robić – spróbujemy ponownie. Jeśli błąd utrzymuje się długo, sprawdź nazwę serwera i powiadom administratora.',
      en: 'Nothing to do: we will try again. If it lasts, check the server name and tell your administrator.',
    },
    adminAction: {
      pl: 'Sprawdź łączność sieciową serwera mailroom z serwerem poczty (routing, IPv6, zapora).',
      en: "Check the mailroom server's network connectivity to the mail server (routing, IPv6, firewall).",
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['network'],
    examples: ['connect EHOSTUNREACH 203.0.113.10:465', 'connect ENETUNREACH 2001:db8::1:587'],
  },
  {
    id: 'connection-timeout',
    area: 'connection',
    title: { pl: 'Serwer nie odpowiada', en: 'The server does not respond' },
    cause: {
      pl: 'Serwer nie odpowiedział na próbę połączenia w wyznaczonym czasie. Zwykle zapora blokuje ten port (niektóre sieci blokują porty 25 i 465), port jest nieprawidłowy albo serwer jest przeciążony.',
      en: 'The server did not answer the connection attempt in time. Usually a firewall blocks the port (some networks block ports 25 and 465), the port is wrong, or the server is overloaded.',
    },
    userAction: {
      pl: 'Sprawdź nazwę serwera i port. Jeśli są poprawne, spróbujemy ponownie później.',
      en: 'Check the server name and port. If they are right, we will try again later.',
    },
    adminAction: {
      pl: 'Sprawdź, czy ruch z serwera mailroom na ten port nie jest blokowany (zapora, dostawca hostingu) i czy serwer poczty działa.',
      en: 'Check that traffic from the mailroom server to this port is not blocked (firewall, hosting provider) and that the mail server is up.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['network'],
    examples: ['connect ETIMEDOUT 203.0.113.10:465'],
  },
  {
    id: 'greeting-timeout',
    area: 'connection',
    title: {
      pl: 'Serwer nie wysłał powitania',
      en: 'The server never sent its greeting',
    },
    cause: {
      pl: 'Połączenie zostało nawiązane, ale serwer nie wysłał powitania. Najczęściej szyfrowanie nie pasuje do portu – np. wybrano STARTTLS na porcie 465 (albo 993 lub 995), gdzie serwer od razu oczekuje SSL/TLS. Rzadziej serwer jest przeciążony.',
      en: 'The connection opened, but the server never sent its greeting. Most often the encryption does not match the port, e.g. STARTTLS on port 465 (or 993, 995), where the server expects SSL/TLS straight away. Less often the server is overloaded.',
    },
    userAction: {
      pl: 'Sprawdź szyfrowanie: port 465 (a także 993 i 995) to SSL/TLS, port 587 to STARTTLS. Popraw ustawienie i kliknij „Testuj konto”.',
      en: 'Check the encryption: port 465 (and 993, 995) means SSL/TLS, port 587 means STARTTLS. Correct it and click "Test account".',
    },
    adminAction: {
      pl: 'Sprawdź, jakiego trybu szyfrowania serwer używa na tym porcie i czy nie jest przeciążony.',
      en: 'Check which encryption mode the server uses on this port and whether it is overloaded.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['network', 'tls'],
    examples: ['Greeting never received'],
  },
  {
    id: 'server-timeout',
    area: 'connection',
    title: { pl: 'Serwer przestał odpowiadać', en: 'The server stopped responding' },
    cause: {
      pl: 'Serwer przestał odpowiadać w trakcie połączenia i przekroczył nasz limit czasu. Zwykle to chwilowe przeciążenie serwera lub problem z siecią.',
      en: 'The server stopped answering during the session and went past our time limit. Usually a temporary overload or network problem.',
    },
    userAction: {
      pl: 'Nic nie musisz robić – spróbujemy ponownie później.',
      en: 'Nothing to do: we will try again later.',
    },
    adminAction: {
      pl: 'Jeśli to się powtarza, sprawdź obciążenie serwera poczty i stabilność sieci.',
      en: 'If it keeps happening, check the mail server load and network stability.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['network', 'smtp', 'pop3', 'imap'],
    examples: [],
  },
  {
    id: 'connection-closed',
    area: 'connection',
    title: { pl: 'Serwer przerwał połączenie', en: 'The server closed the connection' },
    cause: {
      pl: 'Serwer albo urządzenie sieciowe po drodze nieoczekiwanie zakończyło połączenie. Zwykle to chwilowy problem; czasem serwer zamyka połączenia, których nie akceptuje (np. przy złym trybie szyfrowania).',
      en: 'The server, or a network device on the way, unexpectedly ended the connection. Usually this is temporary; sometimes servers close connections they do not accept (e.g. with the wrong encryption mode).',
    },
    userAction: {
      pl: 'Nic nie musisz robić – spróbujemy ponownie. Jeśli błąd pojawia się podczas testu konta, sprawdź port i szyfrowanie.',
      en: 'Nothing to do: we will try again. If it appears while testing the account, check the port and encryption.',
    },
    adminAction: {
      pl: 'Sprawdź logi serwera poczty i limity połączeń (np. liczbę jednoczesnych połączeń z jednego adresu IP).',
      en: 'Check the mail server logs and connection limits (e.g. simultaneous connections from one IP address).',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['network'],
    examples: ['read ECONNRESET', 'Connection closed unexpectedly'],
  },
  {
    id: 'connection-failed',
    area: 'connection',
    title: { pl: 'Nie udało się połączyć z serwerem', en: 'Could not connect to the server' },
    cause: {
      pl: 'Połączenie z serwerem poczty nie powiodło się z przyczyny sieciowej, której nie rozpoznaliśmy. Szczegóły techniczne są poniżej.',
      en: 'The connection to the mail server failed for a network reason we did not recognise. Technical details are below.',
    },
    userAction: {
      pl: 'Sprawdź nazwę serwera i port, a potem kliknij „Testuj konto”. Jeśli błąd się powtarza, przekaż szczegóły administratorowi.',
      en: 'Check the server name and port, then click "Test account". If it persists, forward the details to your administrator.',
    },
    adminAction: {
      pl: 'Sprawdź łączność sieciową serwera mailroom z serwerem poczty oraz szczegóły błędu w logach.',
      en: 'Check network connectivity from the mailroom server to the mail server, and the error details in the logs.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['network'],
    examples: [],
  },
];
