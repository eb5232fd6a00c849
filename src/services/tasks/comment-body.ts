/**
 * A comment's two bodies (M30: HTML with a plain-text part). The composer sends plain text;
 * the HTML is derived from it here, so no client HTML ever needs sanitizing on the way out.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Line endings unified, NUL and other controls (except tab and newline) removed, trailing space trimmed. */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/** Paragraphs on blank lines, `<br>` on single newlines, everything escaped. */
export function textToHtml(text: string): string {
  if (!text) return '';
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

export interface Signature {
  text: string;
  html: string;
}

/** M30: the address's signature, else the employee's card signature, else none. */
export function pickSignature(address: Signature | null, employee: Signature | null): Signature | null {
  for (const s of [address, employee]) if (s && (s.text.trim() || s.html.trim())) return s;
  return null;
}

/** The email's bodies: the comment, then the signature after the standard "-- " separator. */
export function withSignature(
  body: { text: string; html: string },
  signature: Signature | null,
): { text: string; html: string } {
  if (!signature) return body;
  const sigText = signature.text.trim() || signature.html.replace(/<[^>]*>/g, '').trim();
  // Stored HTML signatures are not sanitized when saved, so the HTML part carries the text
  // signature, escaped: nothing a settings form accepted can add markup to a client's email.
  const sigHtml = textToHtml(sigText);
  return {
    text: `${body.text}\n\n-- \n${sigText}`,
    html: `${body.html}\n<div class="signature">-- <br>${sigHtml}</div>`,
  };
}
