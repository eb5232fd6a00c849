/**
 * What email-reply-parser is handed (decision 0007 "Hostile texts"). Without the optional re2
 * its patterns are super-linear: in runs of blank lines (64 K newlines took 63 s), in runs of
 * spaces ("From: " + 64 K spaces, 9 s) and within one long line (`^(.+\son.*at.*wrote:)$`: one
 * 16 KiB line of "x on at " took 32 s). So it gets at most MAX_PARSED characters, runs of blank
 * lines as one blank line, runs of spaces and tabs as MAX_RUN spaces, and lines of at most
 * MAX_LINE characters: a longer line is wrapped with markers that `restoreLines` takes out again,
 * so what the user sees keeps the sender's lines.
 */
export const MAX_PARSED = 16 * 1024;
export const MAX_LINE = 200;
const MAX_RUN = 8;
const MAX_PREFIX = 16;

/** Ends a wrapped piece; the next piece starts with the line's quote prefix, then START. */
const BREAK = '\uE000';
const START = '\uE001';
const QUOTE_PREFIX = /^[ \t]*(?:>[ \t]?)*/;

/** `text` (LF line ends) as the library may read it. */
export function forLibrary(text: string): string {
  // The sender's own markers (private-use characters) go, so that restoring takes out only ours.
  const head = text.slice(0, parsedLength(text)).replace(/[\uE000\uE001]/g, '');
  const normal = head.replace(/\n(?:[ \t]*\n){2,}/g, '\n\n').replace(/[ \t]{9,}/g, ' '.repeat(MAX_RUN));
  return normal
    .split('\n')
    .map((line) => (line.length <= MAX_LINE ? line : wrap(line)))
    .join('\n');
}

/** How much of `text` `forLibrary` read (the rest is the caller's to place). */
export const parsedLength = (text: string): number => {
  const start = text.length > MAX_PARSED ? text.lastIndexOf('\n', MAX_PARSED) : -1;
  return start > 0 ? start : Math.min(text.length, MAX_PARSED);
};

function wrap(line: string): string {
  // A few quote levels are enough for the library to see a quoted line; a line of `>` is no prefix.
  const prefix = (QUOTE_PREFIX.exec(line)?.[0] ?? '').slice(0, MAX_PREFIX);
  const pieces: string[] = [];
  for (let i = 0; i < line.length; i += MAX_LINE) pieces.push(line.slice(i, i + MAX_LINE));
  return pieces.join(`${BREAK}\n${prefix}${START}`);
}

/** The library's output with the wrapped lines joined back. */
export const restoreLines = (text: string): string => text.replace(/\uE000\n[^\n\uE001]*\uE001/g, '');
