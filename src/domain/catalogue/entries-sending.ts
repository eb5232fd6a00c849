import type { CatalogueEntry } from './catalogue-entry.js';

const GOOGLE_SMTP_ERRORS = 'https://support.google.com/a/answer/3726730';

/** Sending policy: who may send as whom, relaying, quotas and rate limits, size and content. */
export const SENDING_ENTRIES: readonly CatalogueEntry[] = [
  {
    id: 'relay-denied',
    area: 'sending',
    title: {
      pl: 'Serwer nie wyśle poczty bez zalogowania',
      en: 'The server will not relay mail without sign-in',
    },
    cause: {
      pl: 'Serwer odmówił przekazania wiadomości do odbiorców spoza swojej domeny, bo nie uznał nas za zalogowanych. Zwykle logowanie jest wyłączone w ustawieniach adresu, użyto portu 25 zamiast portu do wysyłki albo login jest nieprawidłowy.',
      en: 'The server refused to pass the message on to recipients outside its domain because it did not consider us signed in. Usually sign-in is off in the address settings, port 25 was used instead of a submission port, or the login is wrong.',
    },
    userAction: {
      pl: 'W ustawieniach adresu włącz logowanie (podaj login i hasło) i użyj portu 587 (STARTTLS) lub 465 (SSL/TLS). Potem kliknij „Testuj konto”.',
      en: 'In the address settings, turn on sign-in (enter the login and password) and use port 587 (STARTTLS) or 465 (SSL/TLS). Then click "Test account".',
    },
    adminAction: {
      pl: 'Sprawdź, czy serwer wymaga uwierzytelnienia na porcie do wysyłki i czy to konto może wysyłać na zewnątrz. W Microsoft 365 sprawdź też łączniki (connectors) i włączenie SMTP AUTH.',
      en: 'Check that the server requires authentication on the submission port and that this account may send outside. In Microsoft 365, also check connectors and that SMTP AUTH is on.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp'],
    helpUrl:
      'https://learn.microsoft.com/en-us/exchange/troubleshoot/email-delivery/ndr/relay-access-denied-smtp',
    examples: [
      '554 5.7.1 <klient@example.com>: Relay access denied',
      '530 5.7.57 Client not authenticated to send mail.',
      '550 5.7.64 TenantAttribution; Relay Access Denied',
      '530 5.7.0 Authentication required',
    ],
  },
  {
    id: 'sender-not-owned',
    area: 'sending',
    title: {
      pl: 'Adres nadawcy nie należy do tego konta',
      en: 'The sender address does not belong to this login',
    },
    cause: {
      pl: 'Serwer nie pozwala wysyłać jako ten adres po zalogowaniu tym loginem. Adres nadawcy różni się od konta, na które się logujemy, a dostawca nie zna go jako aliasu tego konta.',
      en: 'The server does not allow sending as this address with this login. The sender address differs from the account we sign in to, and the provider does not know it as an alias of that account.',
    },
    userAction: {
      pl: 'Ustaw jako adres nadawcy ten sam adres, którym się logujesz, albo poproś administratora poczty o dodanie tego adresu jako aliasu Twojego konta.',
      en: 'Use the address you sign in with as the sender, or ask your mail administrator to add this address as an alias of your account.',
    },
    adminAction: {
      pl: 'Dodaj adres jako alias albo zezwól temu kontu na wysyłanie jako ten adres (w Postfiksie: mapa nadawców dla reject_sender_login_mismatch; u dostawcy: aliasy lub tożsamości nadawcy).',
      en: 'Add the address as an alias, or allow this account to send as it (Postfix: the sender login map used by reject_sender_login_mismatch; at a provider: aliases or sender identities).',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp'],
    examples: [
      '553 5.7.1 <biuro@firma.pl>: Sender address rejected: not owned by user jan@firma.pl',
      '553 5.7.1 Sender address rejected: not owned by auth user.',
    ],
  },
  {
    id: 'microsoft-send-as-denied',
    area: 'sending',
    title: {
      pl: 'Brak uprawnienia „Wyślij jako” w Microsoft 365',
      en: 'No "Send As" permission in Microsoft 365',
    },
    cause: {
      pl: 'Adres nadawcy nie jest skrzynką, na którą się logujemy, a to konto nie ma w Microsoft 365 uprawnienia „Wyślij jako” (Send As) dla tego adresu.',
      en: 'The sender address is not the mailbox we sign in to, and this account has no "Send As" permission for that address in Microsoft 365.',
    },
    userAction: {
      pl: 'Wysyłaj z adresu, którym się logujesz, albo poproś administratora Microsoft 365 o nadanie uprawnienia „Wyślij jako”.',
      en: 'Send from the address you sign in with, or ask your Microsoft 365 administrator for the "Send As" permission.',
    },
    adminAction: {
      pl: 'W centrum administracyjnym Exchange nadaj temu kontu uprawnienie „Wyślij jako” (Send As) do skrzynki nadawcy. „Wyślij w imieniu” (Send on Behalf) to inne uprawnienie i nie wystarczy. Zmiana może zacząć działać nawet po godzinie.',
      en: 'In the Exchange admin center, grant this account "Send As" on the sender mailbox. "Send on Behalf" is a different right and is not enough. The change can take about an hour to apply.',
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp'],
    providers: ['microsoft'],
    examples: [
      '550 5.7.60 SMTP; Client does not have permissions to send as this sender.',
      '554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message.',
    ],
  },
  {
    id: 'sender-rejected',
    area: 'sending',
    title: { pl: 'Serwer odrzucił adres nadawcy', en: 'The server rejected the sender address' },
    cause: {
      pl: 'Serwer nie przyjął adresu nadawcy tej wiadomości – np. adres ma błąd, jego domena nie istnieje w DNS albo serwer nie obsługuje tego adresu.',
      en: "The server did not accept the message's sender address: for example it has a typo, its domain does not exist in DNS, or the server does not handle that address.",
    },
    userAction: {
      pl: 'Sprawdź, czy adres e-mail w ustawieniach adresu jest dokładnie taki sam jak adres Twojej skrzynki.',
      en: 'Check that the email address in the address settings is exactly your mailbox address.',
    },
    adminAction: {
      pl: 'Sprawdź, czy domena nadawcy ma poprawne rekordy DNS (MX lub A) i czy serwer obsługuje ten adres dla tego konta.',
      en: "Check that the sender's domain has correct DNS records (MX or A) and that the server handles this address for this account.",
    },
    retryable: false,
    pausesAddress: true,
    severity: 'error',
    appliesTo: ['smtp', 'bounce'],
    examples: [
      '553 5.1.8 <biuro@firma.invalid>: Sender address rejected: Domain not found',
      '501 5.1.7 Bad sender address syntax',
    ],
  },
  {
    id: 'daily-sending-limit',
    area: 'sending',
    title: { pl: 'Osiągnięto dzienny limit wysyłki', en: 'Daily sending limit reached' },
    cause: {
      pl: 'Ta skrzynka wysłała już tyle wiadomości, ile dostawca pozwala wysłać w ciągu doby (np. w darmowym Gmailu około 500 dziennie, w Google Workspace około 2000).',
      en: 'This mailbox has sent as many messages as the provider allows per day (e.g. about 500 a day with free Gmail, about 2,000 with Google Workspace).',
    },
    userAction: {
      pl: 'Nic nie musisz robić – oczekujące wiadomości wyślemy ponownie, gdy limit się odnowi (zwykle w ciągu doby). Pilne wiadomości wyślij z innego adresu.',
      en: 'Nothing to do: we will send the waiting messages again once the limit renews (usually within a day). Send urgent messages from another address.',
    },
    adminAction: {
      pl: 'Rozłóż wysyłkę w czasie, użyj kilku adresów albo podnieś limit u dostawcy (np. wyższy plan).',
      en: 'Spread sending over time, use several addresses, or raise the limit with the provider (e.g. a higher plan).',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    backoff: 'next-day',
    appliesTo: ['smtp'],
    helpUrl: GOOGLE_SMTP_ERRORS,
    examples: [
      '550 5.4.5 Daily user sending quota exceeded. - gsmtp',
      '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception',
    ],
  },
  {
    id: 'rate-limited',
    area: 'sending',
    title: { pl: 'Serwer chwilowo ogranicza wysyłkę', en: 'The server is temporarily limiting sending' },
    cause: {
      pl: 'Serwer chwilowo przyjmuje od nas mniej wiadomości – z powodu wielu wysyłek w krótkim czasie albo zgłoszeń od odbiorców.',
      en: 'The server is temporarily accepting fewer messages from us because of many sends in a short time or complaints from recipients.',
    },
    userAction: {
      pl: 'Nic nie musisz robić – ponowimy wysyłkę z opóźnieniem. Jeśli wysyłasz dużo wiadomości naraz, rozłóż je w czasie.',
      en: 'Nothing to do: we will retry with a delay. If you send many messages at once, spread them out.',
    },
    adminAction: {
      pl: 'Ogranicz tempo wysyłki z tego adresu i sprawdź reputację domeny i adresu IP (listy odbiorców, zgłoszenia spamu, SPF, DKIM, DMARC).',
      en: 'Lower the sending rate for this address and check the reputation of the domain and IP (recipient lists, spam complaints, SPF, DKIM, DMARC).',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    backoff: 'long',
    appliesTo: ['smtp', 'bounce'],
    helpUrl: GOOGLE_SMTP_ERRORS,
    examples: [
      '421-4.7.0 Try again later, closing connection. (EHLO) - gsmtp',
      '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints',
      '450 4.7.1 Rate limit exceeded, try again later',
    ],
  },
  {
    id: 'too-many-recipients',
    area: 'sending',
    title: { pl: 'Zbyt wielu odbiorców w jednej wiadomości', en: 'Too many recipients in one message' },
    cause: {
      pl: 'Serwer przyjmuje tylko określoną liczbę odbiorców jednej wiadomości, a ta ma ich więcej.',
      en: 'The server accepts only a limited number of recipients per message, and this one has more.',
    },
    userAction: {
      pl: 'Podziel wysyłkę na kilka wiadomości z mniejszą liczbą odbiorców.',
      en: 'Split the send into several messages with fewer recipients.',
    },
    adminAction: {
      pl: 'Sprawdź u dostawcy poczty limit odbiorców na jedną wiadomość.',
      en: "Check the mail provider's limit of recipients per message.",
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['smtp'],
    helpUrl: GOOGLE_SMTP_ERRORS,
    examples: ['452 4.5.3 Your message has too many recipients. - gsmtp', '550 5.5.3 Too many recipients'],
  },
  {
    id: 'message-too-large',
    area: 'sending',
    title: { pl: 'Wiadomość jest za duża', en: 'The message is too large' },
    cause: {
      pl: 'Wiadomość razem z załącznikami przekracza limit rozmiaru serwera. Załączniki zajmują w wiadomości o około jedną trzecią więcej miejsca niż same pliki.',
      en: 'The message with its attachments is larger than the server allows. Attachments take about a third more space in a message than the files themselves.',
    },
    userAction: {
      pl: 'Zmniejsz załączniki lub ich liczbę (np. skompresuj pliki) albo udostępnij duże pliki przez link.',
      en: 'Send smaller or fewer attachments (e.g. compress the files), or share large files by link.',
    },
    adminAction: {
      pl: 'Sprawdź limit rozmiaru wiadomości na serwerze (SIZE); jeśli to Twój serwer, możesz go podnieść.',
      en: "Check the server's message size limit (SIZE); if it is your server, you can raise it.",
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'bounce'],
    helpUrl: GOOGLE_SMTP_ERRORS,
    examples: ['552 5.3.4 Message size exceeds fixed limit', '552 5.2.3 Message exceeded maximum size'],
  },
  {
    id: 'rejected-as-spam',
    area: 'sending',
    title: { pl: 'Wiadomość uznana za spam', en: 'Message rejected as spam' },
    cause: {
      pl: 'Filtr antyspamowy serwera uznał tę wiadomość za spam i jej nie przyjął. Może to wynikać z treści, linków lub załączników, a także z reputacji nadawcy.',
      en: "The server's spam filter judged this message to be spam and refused it. The content, links or attachments can cause this, as can the sender's reputation.",
    },
    userAction: {
      pl: 'Sprawdź treść: usuń podejrzane linki, skrócone adresy i duże obrazki, unikaj pisania wielkimi literami. Wyślij wiadomość ponownie później. Jeśli problem się powtarza, skontaktuj się z administratorem.',
      en: 'Check the content: remove suspicious links, shortened URLs and large images, and avoid writing in capitals. Send it again later. If it keeps happening, contact your administrator.',
    },
    adminAction: {
      pl: 'Sprawdź, czy konto nie rozsyła spamu (przejęcie konta), czy domena ma poprawne SPF, DKIM i DMARC i czy adres IP nie trafił na czarne listy; w razie potrzeby skontaktuj się z pomocą dostawcy.',
      en: "Check that the account is not sending spam (compromise), that the domain has correct SPF, DKIM and DMARC, and that the IP is not on blocklists; contact the provider's support if needed.",
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'bounce'],
    examples: [
      '554 5.7.1 Message rejected under suspicion of SPAM',
      '550 5.7.1 Our system has detected that this message is likely unsolicited mail.',
    ],
  },
  {
    id: 'dmarc-rejected',
    area: 'sending',
    title: {
      pl: 'Wiadomość nie przeszła weryfikacji nadawcy (DMARC, SPF, DKIM)',
      en: 'The message failed sender checks (DMARC, SPF, DKIM)',
    },
    cause: {
      pl: 'Serwer odbiorcy sprawdził, czy wiadomość naprawdę pochodzi z domeny nadawcy, i wynik był negatywny. Zwykle adres należy do jednej domeny (np. @gmail.com), a wiadomość wychodzi przez serwer innego dostawcy, albo domena firmy nie ma poprawnych rekordów SPF i DKIM.',
      en: "The recipient's server checked whether the message really comes from the sender's domain, and the check failed. Usually the address is in one domain (e.g. @gmail.com) but the mail goes through another provider's server, or the company domain lacks correct SPF and DKIM records.",
    },
    userAction: {
      pl: 'Upewnij się, że adres nadawcy i serwer wysyłki należą do tego samego dostawcy (np. adres @gmail.com wysyłaj przez smtp.gmail.com). Jeśli to adres firmowy, przekaż ten komunikat administratorowi.',
      en: 'Make sure the sender address and the sending server belong to the same provider (e.g. send @gmail.com addresses through smtp.gmail.com). For a company address, forward this message to your administrator.',
    },
    adminAction: {
      pl: 'Skonfiguruj dla domeny SPF (z serwerem, przez który wysyłamy), podpis DKIM i politykę DMARC; sprawdź wyniki w nagłówku Authentication-Results.',
      en: 'Set up SPF (including the server we send through), DKIM signing and a DMARC policy for the domain; check the results in the Authentication-Results header.',
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'bounce'],
    helpUrl: GOOGLE_SMTP_ERRORS,
    examples: [
      "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. - gsmtp",
      '554 5.7.9 Message not accepted for policy reasons. See https://help.yahoo.com/kb/postmaster/SLN7253.html',
    ],
  },
  {
    id: 'rejected-by-policy',
    area: 'sending',
    title: { pl: 'Wiadomość odrzucona przez zasady serwera', en: "Rejected by the server's policy" },
    cause: {
      pl: 'Serwer odrzucił wiadomość lub połączenie na podstawie swoich zasad bezpieczeństwa – np. z powodu reputacji serwera wysyłającego, czarnej listy albo ustawień odbiorcy. Szczegóły są w odpowiedzi serwera poniżej.',
      en: "The server refused the message or connection under its security policy, e.g. because of the sending server's reputation, a blocklist or the recipient's settings. Details are in the server's reply below.",
    },
    userAction: {
      pl: 'Przeczytaj odpowiedź serwera poniżej. Jeśli nie wiesz, co z nią zrobić, przekaż ją administratorowi.',
      en: "Read the server's reply below. If it is unclear what to do, forward it to your administrator.",
    },
    adminAction: {
      pl: 'Ustal z odpowiedzi serwera powód blokady (czarna lista, reguły odbiorcy, reputacja adresu IP) i skorzystaj z linku podanego przez serwer, jeśli jest.',
      en: "Find the reason in the server's reply (blocklist, recipient rules, IP reputation) and follow the link the server gives, if any.",
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'bounce'],
    examples: [
      '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org',
      '550 5.7.1 Message rejected due to local policy',
    ],
  },
  {
    id: 'smtputf8-unsupported',
    area: 'sending',
    title: {
      pl: 'Serwer nie obsługuje adresów ze znakami narodowymi',
      en: 'The server does not support international addresses',
    },
    cause: {
      pl: 'Adres e-mail zawiera przed znakiem @ litery spoza podstawowego alfabetu łacińskiego (np. „ą”, „ł” albo litery cyrylicy), a serwer nie obsługuje takich adresów (rozszerzenie SMTPUTF8).',
      en: 'An email address has letters outside basic Latin before the @ (e.g. "ą", "ł" or Cyrillic), and the server does not support such addresses (the SMTPUTF8 extension).',
    },
    userAction: {
      pl: 'Zapytaj odbiorcę o adres bez znaków narodowych i popraw go w danych kontaktu.',
      en: "Ask the recipient for an address without such letters and correct it in the contact's details.",
    },
    adminAction: {
      pl: 'Jeśli to Twój serwer, włącz na nim obsługę SMTPUTF8, o ile ją udostępnia.',
      en: 'If it is your server, enable SMTPUTF8 support on it, if it offers it.',
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'bounce'],
    examples: ['553 5.6.7 SMTPUTF8 is required, but was not offered by host'],
  },
];
