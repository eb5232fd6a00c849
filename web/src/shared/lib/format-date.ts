/** Date and time in the UI language, e.g. "27 lis 2025, 14:05" / "Nov 27, 2025, 2:05 PM". */
export function formatDateTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
