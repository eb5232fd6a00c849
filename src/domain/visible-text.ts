/**
 * Characters that take no visible space of their own. `.trim()` only knows White_Space, so a
 * name of U+2800 or U+3164 passed as "filled in" and then showed as an empty name in lists,
 * the sender picker, From headers and the audit log. Stripped here:
 * - White_Space (spaces, NBSP, U+3000, line breaks) and controls (Cc);
 * - format characters, Cf: zero-width space/joiners, bidi marks, BOM, soft hyphen, word
 *   joiner, interlinear annotation and other invisible controls;
 * - Default_Ignorable_Code_Point: U+034F combining grapheme joiner, the Hangul fillers
 *   U+115F, U+1160, U+3164, U+FFA0, variation selectors (U+FE00–FE0F, U+E0100–E01EF), tags;
 * - U+2800 braille pattern blank: a printable letter by category, but blank on every screen.
 * Letters, digits, marks on a letter and emoji (also joined by ZWJ) survive, so such text counts.
 */
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** True when the text has no visible character: empty, or only the characters above. */
export const isVisiblyBlank = (text: string): boolean => text.replace(INVISIBLE, '') === '';

/** The text, or the fallback when it has nothing visible (received mail, optional names). */
export const visibleOr = (text: string | null | undefined, fallback: string): string =>
  text != null && !isVisiblyBlank(text) ? text : fallback;
