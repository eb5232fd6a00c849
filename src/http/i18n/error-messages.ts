import type { AppErrorCode } from '../../domain/errors.js';
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
  ADDRESS_NEEDS_PASSWORD: {
    en: 'No password is stored for this address. Edit it, enter the password and run “Test account”.',
    pl: 'Dla tego adresu nie zapisano hasła. Edytuj go, wpisz hasło i wykonaj „Testuj konto”.',
  },
  PAYLOAD_TOO_LARGE: { en: 'The request is too large.', pl: 'Żądanie jest zbyt duże.' },
  INTERNAL: {
    en: 'Something went wrong on our side. Try again; if it persists, give the request id to your administrator.',
    pl: 'Wystąpił błąd po naszej stronie. Spróbuj ponownie; jeśli się powtarza, przekaż administratorowi identyfikator żądania.',
  },
};

/** Messages for field-level issue codes (validation details). */
const FIELD_MESSAGES: Record<string, Template> = {
  required: { en: 'This field is required.', pl: 'To pole jest wymagane.' },
  format: { en: 'The value has the wrong format.', pl: 'Wartość ma niepoprawny format.' },
  email: {
    en: 'Enter a valid email address (name@domain).',
    pl: 'Podaj poprawny adres e-mail (nazwa@domena).',
  },
  uuid: { en: 'Expected an identifier.', pl: 'Oczekiwano identyfikatora.' },
  minLength: { en: 'Too short: at least {limit} characters.', pl: 'Za krótkie: co najmniej {limit} znaków.' },
  maxLength: { en: 'Too long: at most {limit} characters.', pl: 'Za długie: najwyżej {limit} znaków.' },
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
    en: 'The server or login changed: enter the password again (a saved password is only sent to the server it was saved for).',
    pl: 'Zmieniono serwer lub login: wpisz hasło ponownie (zapisane hasło wysyłamy tylko do serwera, dla którego je zapisano).',
  },
  certificate_mismatch: {
    en: 'The trusted certificate does not match its fingerprint. Run the test again and trust the certificate it shows.',
    pl: 'Zaufany certyfikat nie zgadza się z odciskiem. Uruchom test ponownie i zaufaj certyfikatowi, który pokaże.',
  },
};

const fill = (text: string, params: Record<string, unknown> | undefined): string =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => (params && params[k] !== undefined ? String(params[k]) : ''));

/** Names of things in messages like NOT_FOUND ("{entity}"). */
const ENTITIES: Record<string, Template> = {
  employee: { en: 'employee', pl: 'pracownik' },
  group: { en: 'group', pl: 'grupa' },
  project: { en: 'project', pl: 'projekt' },
  contact: { en: 'contact', pl: 'kontakt' },
  token: { en: 'API token', pl: 'token API' },
  'email address': { en: 'email address', pl: 'adres e-mail' },
  route: { en: 'page or API path', pl: 'strona lub ścieżka API' },
};

export const codeMessage = (code: AppErrorCode, lang: Lang, params?: Record<string, unknown>): string => {
  const entity =
    typeof params?.entity === 'string' ? (ENTITIES[params.entity]?.[lang] ?? params.entity) : undefined;
  return fill(CODE_MESSAGES[code][lang], entity ? { ...params, entity } : params).replace(/\s*\(\)/, '');
};

export const fieldMessage = (code: string, lang: Lang, params?: Record<string, unknown>): string =>
  fill((FIELD_MESSAGES[code] ?? FIELD_MESSAGES.format!)[lang], params);
