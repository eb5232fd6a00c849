import type { AppErrorCode, EntityName } from '../../domain/errors.js';
import type { ExclusionReason } from '../schemas/sender-preview.schema.js';
import type { Lang } from './language.js';

type Template = Record<Lang, string>;

/** One human message per stable error code, in Polish and English. `{x}` = a parameter. */
const CODE_MESSAGES: Record<AppErrorCode, Template> = {
  VALIDATION_FAILED: {
    en: 'Some fields are not valid. Correct them and try again.',
    pl: 'Niektóre pola są niepoprawne. Popraw je i spróbuj ponownie.',
  },
  NOT_FOUND: {
    en: 'This {entity} does not exist or you cannot see it.',
    pl: 'Nie znaleziono: {entity}. Nie istnieje lub nie masz do niego dostępu.',
  },
  FORBIDDEN: { en: 'You do not have permission to do this.', pl: 'Nie masz uprawnień do tej operacji.' },
  UNAUTHENTICATED: { en: 'Please sign in.', pl: 'Zaloguj się.' },
  INVALID_CREDENTIALS: { en: 'Wrong email or password.', pl: 'Nieprawidłowy e-mail lub hasło.' },
  CSRF_FAILED: {
    en: 'Your session token is missing or out of date. Reload the page and try again.',
    pl: 'Brak tokenu sesji lub jest nieaktualny. Odśwież stronę i spróbuj ponownie.',
  },
  RATE_LIMITED: {
    en: 'Too many attempts. Try again in {seconds} s.',
    pl: 'Zbyt wiele prób. Spróbuj ponownie za {seconds} s.',
  },
  CONFLICT: {
    en: 'This change conflicts with the current state ({reason}).',
    pl: 'Ta zmiana koliduje z bieżącym stanem ({reason}).',
  },
  EMAIL_TAKEN: {
    en: 'The address {email} is already used by another account.',
    pl: 'Adres {email} jest już używany przez inne konto.',
  },
  ADDRESS_EXISTS: {
    en: 'The mailbox {email} is already on this list. Open the existing entry instead of adding it again.',
    pl: 'Skrzynka {email} jest już na tej liście. Otwórz istniejący wpis zamiast dodawać ją ponownie.',
  },
  PROJECT_NAME_TAKEN: {
    en: 'A project named “{name}” already exists. Choose another name.',
    pl: 'Projekt o nazwie „{name}” już istnieje. Wybierz inną nazwę.',
  },
  LAST_ADMIN: {
    en: 'The workspace must keep at least one active administrator.',
    pl: 'Firma musi mieć co najmniej jednego aktywnego administratora.',
  },
  TEST_REQUIRED: {
    en: 'Run “Test account” successfully with these settings before saving.',
    pl: 'Przed zapisaniem wykonaj z powodzeniem „Testuj konto” dla tych ustawień.',
  },
  PASSWORD_REQUIRED: {
    en: 'The server settings changed: enter the password again.',
    pl: 'Zmieniono ustawienia serwera: wpisz hasło ponownie.',
  },
  MAIL_TARGET_REFUSED: {
    en: 'This server address is not allowed.',
    pl: 'Ten adres serwera jest niedozwolony.',
  },
  SENDER_NOT_APPLICABLE: {
    en: 'This sender address cannot be used here.',
    pl: 'Tego adresu nadawcy nie można tu użyć.',
  },
  SECRET_UNREADABLE: {
    en: 'A stored password cannot be read. Enter it again.',
    pl: 'Nie można odczytać zapisanego hasła. Wpisz je ponownie.',
  },
  RESTRICTION_REVIEW_REQUIRED: {
    en: 'This address was disabled because its access list or its only project was deleted. Choose who may use it (or its projects) when you enable it.',
    pl: 'Ten adres wyłączono, bo usunięto jego listę dostępu lub jedyny projekt. Włączając go, wskaż, kto może go używać (lub jego projekty).',
  },
  ADDRESS_DISABLED: {
    en: 'This address is disabled. Enable it first.',
    pl: 'Ten adres jest wyłączony. Najpierw go włącz.',
  },
  ADDRESS_NOT_COLLECTING: {
    en: 'Collecting replies is turned off for this address. Turn it on in the address settings first.',
    pl: 'Zbieranie odpowiedzi jest wyłączone dla tego adresu. Najpierw włącz je w ustawieniach adresu.',
  },
  ADDRESS_NEEDS_PASSWORD: {
    en: 'No password is stored for this address. Edit it, enter the password and run “Test account”.',
    pl: 'Dla tego adresu nie zapisano hasła. Edytuj go, wpisz hasło i wykonaj „Testuj konto”.',
  },
  PAYLOAD_TOO_LARGE: { en: 'The request is too large.', pl: 'Żądanie jest zbyt duże.' },
  UNSUPPORTED_MEDIA_TYPE: {
    en: 'Send the request body as JSON (Content-Type: application/json).',
    pl: 'Wyślij treść żądania jako JSON (Content-Type: application/json).',
  },
  OAUTH_NOT_CONFIGURED: {
    en: 'Signing in with this provider is not set up on this server. Use an app password.',
    pl: 'Logowanie przez tego dostawcę nie jest skonfigurowane na tym serwerze. Użyj hasła aplikacji.',
  },
  OAUTH_FLOW_INVALID: {
    en: 'The sign-in could not be completed (it expired or did not match). Click the connect button again.',
    pl: 'Nie udało się dokończyć logowania (wygasło lub się nie zgadza). Kliknij przycisk połączenia ponownie.',
  },
  OAUTH_ACCOUNT_MISMATCH: {
    en: 'You signed in with a different mailbox than this address. Sign in with the same account.',
    pl: 'Zalogowano się do innej skrzynki niż ten adres. Zaloguj się na to samo konto.',
  },
  OAUTH_GRANT_LOST: {
    en: 'Access to this mailbox was revoked or has expired. Click “Reconnect”.',
    pl: 'Dostęp do tej skrzynki cofnięto lub wygasł. Kliknij „Połącz ponownie”.',
  },
  OAUTH_UNAVAILABLE: {
    en: 'The sign-in service of the mail provider is not answering right now. Try again in a moment.',
    pl: 'Usługa logowania dostawcy poczty chwilowo nie odpowiada. Spróbuj ponownie za chwilę.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    en: 'This request key was already used for a different request. Send a new key.',
    pl: 'Ten klucz żądania użyto już dla innego żądania. Wyślij nowy klucz.',
  },
  MESSAGE_NOT_RETRYABLE: {
    en: 'Only an email that was not sent or is waiting for its next attempt can be retried. For an email whose delivery is not known, use "Send again".',
    pl: 'Ponowić można tylko wiadomość niewysłaną albo czekającą na kolejną próbę. Dla wiadomości, o której nie wiadomo, czy dotarła, użyj „Wyślij ponownie”.',
  },
  MESSAGE_NOT_RESENDABLE: {
    en: 'Only an email whose delivery is not known can be sent again, and only while its sender address exists.',
    pl: 'Ponownie wysłać można tylko wiadomość, o której nie wiadomo, czy dotarła, i tylko gdy adres nadawcy nadal istnieje.',
  },
  INTERNAL: {
    en: 'Something went wrong on our side. Try again; if it persists, give the request id to your administrator.',
    pl: 'Wystąpił błąd po naszej stronie. Spróbuj ponownie; jeśli się powtarza, przekaż administratorowi identyfikator żądania.',
  },
};

/** Why a chosen sender address (`/body/senderAddressId`) cannot send this message (M25). */
const SENDER_MESSAGES: Record<ExclusionReason | 'unknown', Template> = {
  unknown: {
    en: 'This sender address is not among those you can use for this task.',
    pl: 'Tego adresu nadawcy nie ma wśród tych, których możesz użyć w tym zadaniu.',
  },
  disabled: { en: 'This sender address is disabled.', pl: 'Ten adres nadawcy jest wyłączony.' },
  needs_attention: {
    en: 'This sender address needs attention: signing in to its server failed.',
    pl: 'Ten adres nadawcy wymaga uwagi: logowanie do jego serwera się nie udało.',
  },
  needs_reconnect: {
    en: 'This sender address needs reconnecting to its Google or Microsoft account.',
    pl: 'Ten adres nadawcy wymaga ponownego połączenia z kontem Google lub Microsoft.',
  },
  bound_to_other_projects: {
    en: 'This sender address is assigned to other projects.',
    pl: 'Ten adres nadawcy jest przypisany do innych projektów.',
  },
  no_access: {
    en: 'You have no access to this sender address.',
    pl: 'Nie masz dostępu do tego adresu nadawcy.',
  },
  not_owner: {
    en: 'This sender address belongs to another employee.',
    pl: 'Ten adres nadawcy należy do innego pracownika.',
  },
};

/** Messages for field-level issue codes (validation details). */
const FIELD_MESSAGES: Record<string, Template> = {
  ...SENDER_MESSAGES,
  required: { en: 'This field is required.', pl: 'To pole jest wymagane.' },
  format: { en: 'The value has the wrong format.', pl: 'Wartość ma niepoprawny format.' },
  email: {
    en: 'Enter a valid email address (name@domain).',
    pl: 'Podaj poprawny adres e-mail (nazwa@domena).',
  },
  uuid: { en: 'Expected an identifier.', pl: 'Oczekiwano identyfikatora.' },
  minLength: {
    en: 'Too short: at least {limit} {characters}.',
    pl: 'Za krótkie: co najmniej {limit} {characters}.',
  },
  maxLength: {
    en: 'Too long: at most {limit} {characters}.',
    pl: 'Za długie: najwyżej {limit} {characters}.',
  },
  minimum: { en: 'Must be at least {limit}.', pl: 'Musi wynosić co najmniej {limit}.' },
  maximum: { en: 'Must be at most {limit}.', pl: 'Może wynosić najwyżej {limit}.' },
  minItems: { en: 'Add at least {limit} item(s).', pl: 'Dodaj co najmniej {limit} pozycję(-e).' },
  maxItems: { en: 'At most {limit} items.', pl: 'Najwyżej {limit} pozycji.' },
  enum: { en: 'Choose one of the allowed values.', pl: 'Wybierz jedną z dozwolonych wartości.' },
  type: { en: 'The value has the wrong type.', pl: 'Wartość ma niepoprawny typ.' },
  pattern: {
    en: 'The value contains characters that are not allowed.',
    pl: 'Wartość zawiera niedozwolone znaki.',
  },
  additionalProperties: { en: 'Unknown field.', pl: 'Nieznane pole.' },
  taken: { en: 'Already used by another account.', pl: 'Już używany przez inne konto.' },
  name_taken: { en: 'This name is already used.', pl: 'Ta nazwa jest już zajęta.' },
  duplicate: { en: 'Listed twice.', pl: 'Podano dwukrotnie.' },
  unknown_reference: {
    en: 'Refers to something that does not exist.',
    pl: 'Wskazuje na obiekt, który nie istnieje.',
  },
  not_allowed: { en: 'This value is not allowed.', pl: 'Ta wartość jest niedozwolona.' },
  host: {
    en: 'Enter a server name like smtp.example.com.',
    pl: 'Podaj nazwę serwera, np. smtp.example.com.',
  },
  non_ascii_local: {
    en: 'Addresses with non-Latin letters before the @ are not supported.',
    pl: 'Adresy z literami spoza alfabetu łacińskiego przed znakiem @ nie są obsługiwane.',
  },
  plaintext_not_allowed: {
    en: 'Unencrypted connections are allowed only to servers your administrator allow-listed. Choose SSL/TLS or STARTTLS.',
    pl: 'Połączenia bez szyfrowania są dozwolone tylko z serwerami zatwierdzonymi przez administratora. Wybierz SSL/TLS lub STARTTLS.',
  },
  password_required_after_change: {
    en: 'The address, server, login or trusted certificate changed: enter the password again (a saved password is only sent to the server and address it was saved for).',
    pl: 'Zmieniono adres, serwer, login lub zaufany certyfikat: wpisz hasło ponownie (zapisane hasło wysyłamy tylko do serwera i adresu, dla których je zapisano).',
  },
  sender_not_own: {
    en: 'A personal address sends only as its own mailbox: use the login’s address or your own work email. Other senders (a colleague, the company) can be set up by an administrator as company addresses.',
    pl: 'Adres osobisty wysyła tylko jako własna skrzynka: użyj adresu loginu albo swojego służbowego adresu e-mail. Innych nadawców (współpracownika, firmę) administrator może dodać jako adresy firmowe.',
  },
  reconnect_required: {
    en: 'This mailbox is connected with Google or Microsoft: after changing its address or servers, click “Reconnect” and sign in again (access is only used for the address and servers it was granted for).',
    pl: 'Ta skrzynka jest połączona przez Google lub Microsoft: po zmianie adresu lub serwerów kliknij „Połącz ponownie” i zaloguj się jeszcze raz (dostęp działa tylko dla adresu i serwerów, dla których go udzielono).',
  },
  oauth_host_not_allowed: {
    en: 'A mailbox connected with Google or Microsoft works only with that provider’s servers. Choose the provider’s server here.',
    pl: 'Skrzynka połączona przez Google lub Microsoft działa tylko z serwerami tego dostawcy. Wybierz tutaj serwer dostawcy.',
  },
  too_large: {
    en: 'This file is too large: at most {size}.',
    pl: 'Ten plik jest za duży: najwyżej {size}.',
  },
  total_too_large: {
    en: 'The attachments are too large together: at most {size}.',
    pl: 'Załączniki są razem za duże: najwyżej {size}.',
  },
  base64: { en: 'Expected base64 content.', pl: 'Oczekiwano treści w base64.' },
  no_email: {
    en: 'This contact has no email address.',
    pl: 'Ten kontakt nie ma adresu e-mail.',
  },
  reused: {
    en: 'Already used for a different request.',
    pl: 'Już użyty dla innego żądania.',
  },
  // Header safety (M55): names, subjects and file names that go into an email's headers.
  line_break: {
    en: 'Must be a single line: remove line breaks.',
    pl: 'Musi być jednym wierszem: usuń znaki nowej linii.',
  },
  control_character: {
    en: 'Contains control characters (such as tab or NUL). Remove them.',
    pl: 'Zawiera znaki sterujące (np. tabulator lub NUL). Usuń je.',
  },
  invisible_character: {
    en: 'Contains invisible characters (zero-width spaces or text-direction marks). Remove them; they can disguise text.',
    pl: 'Zawiera niewidoczne znaki (spacje o zerowej szerokości lub znaczniki kierunku tekstu). Usuń je — mogą ukrywać prawdziwą treść.',
  },
  encoded_word: {
    en: 'Contains “=?…?=”, which mail programs would decode into different text. Change it.',
    pl: 'Zawiera „=?…?=”, co programy pocztowe odczytałyby jako inny tekst. Zmień to.',
  },
  message_id: {
    en: 'Not a valid message identifier (<id@domain>).',
    pl: 'Niepoprawny identyfikator wiadomości (<id@domena>).',
  },
  certificate_mismatch: {
    en: 'The trusted certificate does not match its fingerprint. Run the test again and trust the certificate it shows.',
    pl: 'Zaufany certyfikat nie zgadza się z odciskiem. Uruchom test ponownie i zaufaj certyfikatowi, który pokaże.',
  },
};

const fill = (text: string, params: Record<string, unknown> | undefined): string =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => (params && params[k] !== undefined ? String(params[k]) : ''));

/** Names of things in messages like NOT_FOUND ("{entity}"). */
const ENTITIES: Record<EntityName, Template> = {
  employee: { en: 'employee', pl: 'pracownik' },
  group: { en: 'group', pl: 'grupa' },
  project: { en: 'project', pl: 'projekt' },
  contact: { en: 'contact', pl: 'kontakt' },
  token: { en: 'API token', pl: 'token API' },
  'email address': { en: 'email address', pl: 'adres e-mail' },
  route: { en: 'page or API path', pl: 'strona lub ścieżka API' },
  task: { en: 'task', pl: 'zadanie' },
  comment: { en: 'comment', pl: 'komentarz' },
  attachment: { en: 'attachment', pl: 'załącznik' },
  email: { en: 'email', pl: 'wiadomość e-mail' },
  'oauth grant': { en: 'mailbox sign-in (OAuth)', pl: 'połączenie ze skrzynką (OAuth)' },
  'test email': { en: 'test email', pl: 'wiadomość testowa' },
  workspace: { en: 'company', pl: 'firma' },
};

export const codeMessage = (code: AppErrorCode, lang: Lang, params?: Record<string, unknown>): string => {
  const entity =
    typeof params?.entity === 'string'
      ? (ENTITIES[params.entity as EntityName]?.[lang] ?? params.entity)
      : undefined;
  return fill(CODE_MESSAGES[code][lang], entity ? { ...params, entity } : params).replace(/\s*\(\)/, '');
};

/** "znak / znaki / znaków" for a count (Polish plural rules; English one/other). */
export function charactersWord(n: number, lang: Lang): string {
  if (lang === 'en') return n === 1 ? 'character' : 'characters';
  if (!Number.isInteger(n)) return 'znaku';
  if (n === 1) return 'znak';
  const tens = n % 100;
  return n % 10 >= 2 && n % 10 <= 4 && (tens < 12 || tens > 14) ? 'znaki' : 'znaków';
}

/** A byte count as people read it, like the composer does: "10 MB", "2,5 MB" in Polish. */
export function sizeWords(bytes: number, lang: Lang): string {
  const [value, unit] =
    bytes >= 1024 * 1024
      ? [bytes / (1024 * 1024), 'MB']
      : bytes >= 1024
        ? [bytes / 1024, 'KB']
        : [bytes, 'B'];
  const text = String(Math.round(value * 10) / 10);
  return `${lang === 'pl' ? text.replace('.', ',') : text} ${unit}`;
}

/** Every field code with its own message (others fall back to `format`'s). */
export const fieldCodesWithMessages = (): readonly string[] => Object.keys(FIELD_MESSAGES);

export const fieldMessage = (code: string, lang: Lang, params?: Record<string, unknown>): string => {
  const limit = Number(params?.limit);
  const words = Number.isFinite(limit)
    ? { characters: charactersWord(limit, lang), size: sizeWords(limit, lang) }
    : {};
  return fill((FIELD_MESSAGES[code] ?? FIELD_MESSAGES.format!)[lang], { ...params, ...words });
};
