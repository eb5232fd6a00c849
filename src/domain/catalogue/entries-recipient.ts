import type { CatalogueEntry } from './catalogue-entry.js';

/** Recipient problems: mostly from the recipient's server, often arriving as bounce reports. */
export const RECIPIENT_ENTRIES: readonly CatalogueEntry[] = [
  {
    id: 'recipient-unknown',
    area: 'recipient',
    title: { pl: 'Adres odbiorcy nie istnieje', en: "The recipient's address does not exist" },
    cause: {
      pl: 'Serwer odbiorcy informuje, że taka skrzynka nie istnieje albo jest wyłączona. Najczęściej w adresie jest literówka lub kontakt zmienił adres.',
      en: "The recipient's server says this mailbox does not exist or is disabled. Most often the address has a typo, or the contact changed their address.",
    },
    userAction: {
      pl: 'Sprawdź pisownię adresu kontaktu i popraw go. Jeśli adres jest poprawny, zapytaj kontakt o aktualny adres e-mail.',
      en: "Check the spelling of the contact's address and correct it. If it is right, ask the contact for their current email address.",
    },
    adminAction: {
      pl: 'Po stronie serwera wysyłkowego nie trzeba nic robić. Oznacz adres kontaktu jako nieprawidłowy, żeby nie wysyłać na niego kolejnych wiadomości.',
      en: 'Nothing to do on the sending side. Mark the contact address as invalid so that no further messages go to it.',
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'bounce'],
    examples: [
      '550 5.1.1 <nikt@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
      '550-5.1.1 The email account that you tried to reach does not exist. - gsmtp',
      '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    ],
  },
  {
    id: 'recipient-domain-not-found',
    area: 'recipient',
    title: { pl: 'Domena odbiorcy nie istnieje', en: "The recipient's domain does not exist" },
    cause: {
      pl: 'Część adresu po znaku @ nie istnieje albo nie ma serwera poczty, więc wiadomości nie da się dostarczyć. Zwykle to literówka, np. „gmial.com” zamiast „gmail.com”.',
      en: 'The part of the address after the @ does not exist or has no mail server, so the message cannot be delivered. Usually a typo, e.g. "gmial.com" instead of "gmail.com".',
    },
    userAction: {
      pl: 'Popraw adres kontaktu, zwracając uwagę na część po znaku @.',
      en: "Correct the contact's address, paying attention to the part after the @.",
    },
    adminAction: {
      pl: 'Jeśli domena jest poprawna, sprawdź jej rekordy MX w DNS – mogły zostać usunięte lub być chwilowo niedostępne.',
      en: 'If the domain is right, check its MX records in DNS; they may have been removed or be temporarily unavailable.',
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'bounce'],
    examples: [
      '550 5.1.2 <klient@gmial.com>: Recipient address rejected: Domain not found',
      '554 5.4.4 Unable to route: no mail hosts for domain',
    ],
  },
  {
    id: 'recipient-mailbox-full',
    area: 'recipient',
    title: { pl: 'Skrzynka odbiorcy jest pełna', en: "The recipient's mailbox is full" },
    cause: {
      pl: 'Skrzynka odbiorcy przekroczyła limit miejsca i chwilowo nie przyjmuje nowych wiadomości.',
      en: "The recipient's mailbox is over its storage limit and is not accepting new messages for now.",
    },
    userAction: {
      pl: 'Spróbujemy wysłać ponownie później. Jeśli sprawa jest pilna, skontaktuj się z odbiorcą w inny sposób (np. telefonicznie), żeby zwolnił miejsce.',
      en: 'We will try again later. If it is urgent, reach the recipient another way (e.g. by phone) so that they can free up space.',
    },
    adminAction: {
      pl: 'Po stronie nadawcy nie trzeba nic robić.',
      en: 'Nothing to do on the sending side.',
    },
    retryable: true,
    pausesAddress: false,
    severity: 'warning',
    appliesTo: ['smtp', 'bounce'],
    helpUrl: 'https://support.google.com/a/answer/3726730',
    examples: [
      '452-4.2.2 The email account that you tried to reach is over quota. - gsmtp',
      '552 5.2.2 <klient@example.com>: Mailbox full',
    ],
  },
  {
    id: 'recipient-rejected',
    area: 'recipient',
    title: { pl: 'Serwer odrzucił tego odbiorcę', en: 'The server refused this recipient' },
    cause: {
      pl: 'Serwer nie przyjął wiadomości dla tego adresu odbiorcy. Dokładny powód jest w odpowiedzi serwera poniżej.',
      en: "The server did not accept the message for this recipient address. The exact reason is in the server's reply below.",
    },
    userAction: {
      pl: 'Sprawdź adres odbiorcy i przeczytaj odpowiedź serwera. Jeśli adres jest poprawny, a błąd się powtarza, przekaż odpowiedź administratorowi.',
      en: "Check the recipient's address and read the server's reply. If the address is right and this keeps happening, forward the reply to your administrator.",
    },
    adminAction: {
      pl: 'Ustal z odpowiedzi serwera, czy chodzi o ograniczenia po stronie odbiorcy, zasady serwera, czy blokadę nadawcy.',
      en: "Use the server's reply to tell whether it is a restriction on the recipient's side, a server rule or a block on the sender.",
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['smtp', 'bounce'],
    examples: ['554 5.7.1 <klient@example.com>: Recipient address rejected: Access denied'],
  },
  {
    id: 'greylisted',
    area: 'recipient',
    title: {
      pl: 'Serwer odbiorcy odłożył wiadomość na później (szara lista)',
      en: "The recipient's server asked us to retry (greylisting)",
    },
    cause: {
      pl: 'Serwer odbiorcy chwilowo odkłada wiadomości od nowych nadawców (tzw. szara lista, ang. greylisting). To zwykła ochrona przed spamem – prawidłowe serwery po prostu wysyłają ponownie po kilku minutach.',
      en: "The recipient's server temporarily defers mail from new senders (greylisting). It is a normal anti-spam measure; proper servers simply retry after a few minutes.",
    },
    userAction: {
      pl: 'Nic nie musisz robić – ponowimy wysyłkę za kilka minut.',
      en: 'Nothing to do: we will retry in a few minutes.',
    },
    adminAction: {
      pl: 'Nic – tak ma być. Jeśli opóźnienia przeszkadzają, odbiorca może dodać serwer nadawcy do białej listy.',
      en: "Nothing; this is intended. If the delays are a problem, the recipient can allow-list the sender's server.",
    },
    retryable: true,
    pausesAddress: false,
    severity: 'info',
    appliesTo: ['smtp', 'bounce'],
    examples: [
      '450 4.2.0 <klient@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html',
      '451 4.7.1 Greylisting in action, please come back later',
    ],
  },
  {
    id: 'delivery-delayed',
    area: 'recipient',
    title: { pl: 'Doręczenie się opóźnia', en: 'Delivery is delayed' },
    cause: {
      pl: 'Serwer poczty przyjął wiadomość, ale jeszcze nie zdołał doręczyć jej odbiorcy i nadal próbuje. To powiadomienie jest tylko informacją.',
      en: 'Your mail server accepted the message but has not been able to deliver it yet and is still trying. This notice is for information only.',
    },
    userAction: {
      pl: 'Nic nie musisz robić. Jeśli wiadomość jest pilna, skontaktuj się z odbiorcą w inny sposób.',
      en: 'Nothing to do. If the message is urgent, reach the recipient another way.',
    },
    adminAction: {
      pl: 'Jeśli opóźnienia dotyczą wielu odbiorców, sprawdź kolejkę i reputację serwera wysyłkowego.',
      en: "If many recipients are delayed, check the sending server's queue and reputation.",
    },
    // The provider keeps retrying on its own; resending from here would duplicate the mail.
    retryable: false,
    pausesAddress: false,
    severity: 'info',
    appliesTo: ['bounce'],
    examples: ['Status: 4.4.1 (no answer from host)'],
  },
  {
    id: 'delivery-failed',
    area: 'recipient',
    title: { pl: 'Nie udało się doręczyć wiadomości', en: 'The message could not be delivered' },
    cause: {
      pl: 'Serwer odbiorcy ostatecznie odrzucił wiadomość albo nie dało się jej doręczyć. Powód jest w odpowiedzi serwera poniżej.',
      en: "The recipient's server finally refused the message, or it could not be delivered. The reason is in the server's reply below.",
    },
    userAction: {
      pl: 'Przeczytaj odpowiedź serwera poniżej i sprawdź adres odbiorcy. Jeśli powód jest niejasny, przekaż odpowiedź administratorowi.',
      en: "Read the server's reply below and check the recipient's address. If the reason is unclear, forward the reply to your administrator.",
    },
    adminAction: {
      pl: 'Przeanalizuj raport o niedoręczeniu: kod stanu i komunikat diagnostyczny serwera odbiorcy.',
      en: "Look at the bounce report: the status code and the recipient server's diagnostic message.",
    },
    retryable: false,
    pausesAddress: false,
    severity: 'error',
    appliesTo: ['bounce'],
    examples: ['Status: 5.0.0 (permanent failure)'],
  },
];
