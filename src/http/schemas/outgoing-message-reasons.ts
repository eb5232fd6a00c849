import type { Localized } from '../../domain/catalogue/index.js';

/** An explanation of an outbox condition that is not a server's answer (no catalogue entry). */
export interface ReasonExplanation {
  title: Localized;
  cause: Localized;
  fix: Localized;
}

/**
 * Outbox reasons that the error catalogue does not cover, because no mail server said them:
 * they come from our own rules (no sender, crash after the data, gave up). Reasons that a
 * server caused (`smtp`, `too_large`, `smtputf8_required`) are explained by catalogue entries.
 */
export const REASON_EXPLANATIONS: Record<string, ReasonExplanation> = {
  no_sender: {
    title: { pl: 'Brak adresu nadawcy', en: 'No sender address' },
    cause: {
      pl: 'Dla Ciebie w tym projekcie nie ma żadnego adresu e-mail, z którego można wysłać wiadomość, więc komentarz zapisano bez wysyłki.',
      en: 'No email address applies to you in this project, so the comment was saved without sending.',
    },
    fix: {
      pl: 'Poproś administratora o dodanie adresu firmowego dla projektu albo dodaj własny adres w ustawieniach poczty, a potem wyślij ponownie.',
      en: 'Ask an administrator to add a company address for the project, or add your own address in the email settings, then try again.',
    },
  },
  sender_unavailable: {
    title: { pl: 'Adres nadawcy jest niedostępny', en: 'The sender address is unavailable' },
    cause: {
      pl: 'Adres, z którego miała wyjść wiadomość, został usunięty, wyłączony albo wstrzymany po dodaniu wiadomości do kolejki.',
      en: 'The address the email was to be sent from was deleted, disabled or paused after the email was queued.',
    },
    fix: {
      pl: 'Sprawdź adres w ustawieniach poczty (test konta). Gdy znów działa, kliknij „Ponów”.',
      en: 'Check the address in the email settings (account test). Once it works again, click "Retry".',
    },
  },
  connection_lost_after_data: {
    title: { pl: 'Nie wiadomo, czy wiadomość dotarła', en: 'Not known whether the email arrived' },
    cause: {
      pl: 'Połączenie z serwerem poczty zerwało się po przesłaniu całej treści, zanim serwer potwierdził przyjęcie. Serwer mógł wiadomość przyjąć albo nie – dlatego nie wysyłamy jej ponownie sami.',
      en: 'The connection to the mail server broke after the whole message was transmitted, before the server confirmed it. The server may or may not have accepted it, so we do not resend it on our own.',
    },
    fix: {
      pl: 'Sprawdź folder Wysłane w swojej poczcie albo zapytaj odbiorcę. Jeśli wiadomość nie dotarła, użyj „Wyślij ponownie” – odbiorca może wtedy dostać ją dwa razy.',
      en: 'Check the Sent folder in your mail program or ask the recipient. If it did not arrive, use "Send again": the recipient may then get it twice.',
    },
  },
  gave_up: {
    title: { pl: 'Wysyłka przerwana po wielu próbach', en: 'Sending stopped after many attempts' },
    cause: {
      pl: 'Serwer poczty przez kilka dni odpowiadał chwilowym błędem, więc przestaliśmy próbować.',
      en: 'The mail server kept answering with a temporary error for several days, so we stopped trying.',
    },
    fix: {
      pl: 'Sprawdź adres nadawcy w ustawieniach poczty (test konta), a potem kliknij „Ponów”.',
      en: 'Check the sender address in the email settings (account test), then click "Retry".',
    },
  },
  unknown: {
    title: { pl: 'Nie udało się wysłać wiadomości', en: 'The email could not be sent' },
    cause: {
      pl: 'Wysyłka się nie powiodła, a serwer nie podał przyczyny, którą umiemy objaśnić. Odpowiedź serwera jest obok.',
      en: 'Sending failed and the server gave no reason we can explain. The server’s reply is shown beside this.',
    },
    fix: {
      pl: 'Spróbuj ponownie za chwilę. Jeśli błąd wraca, przekaż odpowiedź serwera administratorowi.',
      en: 'Try again in a moment. If it keeps happening, pass the server’s reply to your administrator.',
    },
  },
};

/** Reasons a server caused, mapped to the catalogue entry that explains them when none was stored. */
export const REASON_ENTRY: Record<string, string> = {
  too_large: 'message-too-large',
  smtputf8_required: 'smtputf8-unsupported',
  bounced: 'delivery-failed',
};

/** Why the copy in Sent failed when no server reply explains it (M57). */
export const SENT_COPY_FAILURES: Record<string, Localized> = {
  no_sent_folder: {
    pl: 'Nie znaleziono folderu Wysłane w skrzynce (ani oznaczonego przez serwer, ani o typowej nazwie).',
    en: 'No Sent folder was found in the mailbox (neither flagged by the server nor with a usual name).',
  },
  credentials: {
    pl: 'Nie udało się zalogować do skrzynki (hasło lub połączenie z kontem wymaga uwagi).',
    en: 'Could not sign in to the mailbox (the password or the account connection needs attention).',
  },
};

/** Why the copy in Sent was skipped, in words (M57). */
export const SENT_COPY_SKIPS: Record<string, Localized> = {
  no_imap: {
    pl: 'Adres nie ma skonfigurowanego IMAP, więc kopia w folderze Wysłane nie jest zapisywana.',
    en: 'The address has no IMAP set up, so no copy is saved in the Sent folder.',
  },
  provider_files_sent: {
    pl: 'Dostawca poczty sam zapisuje wysłane wiadomości w folderze Wysłane.',
    en: 'The mail provider files sent mail in the Sent folder itself.',
  },
  address_unavailable: {
    pl: 'Adres nadawcy nie jest już dostępny, więc kopii nie zapisano.',
    en: 'The sender address is no longer available, so no copy was saved.',
  },
};
