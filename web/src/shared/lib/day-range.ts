/** A calendar day as the date pickers and the URL carry it: `yyyy-mm-dd`, no time, no zone. */
export type Day = string;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day as a local date, or null when it is not a real `yyyy-mm-dd` day (2026-02-30 is not). */
function localDate(day: string | null | undefined, end: boolean): Date | null {
  const parts = day ? DAY.exec(day) : null;
  if (!parts) return null;
  const [year, month, date] = [Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])];
  const d = end ? new Date(year, month, date, 23, 59, 59, 999) : new Date(year, month, date);
  // Date rolls an impossible day over into the next month: refuse it instead.
  return d.getFullYear() === year && d.getMonth() === month && d.getDate() === date ? d : null;
}

export const isDay = (value: string | null | undefined): value is Day => localDate(value, false) !== null;

/**
 * The first instant of the day in the browser's time zone, as the API's ISO timestamp: "from
 * 5 December" means from the user's midnight, wherever the server is.
 */
export const dayStart = (day: string | null | undefined): string | undefined =>
  localDate(day, false)?.toISOString();

/** The last instant (…23:59:59.999 local) of the day: "to 5 December" includes all of it. */
export const dayEnd = (day: string | null | undefined): string | undefined =>
  localDate(day, true)?.toISOString();
