import dayjs from 'dayjs';
// Mantine's date pickers name months and weekdays through dayjs: Polish must be loaded
// (English is built in). Only the pickers import this, so it stays in their lazy chunk.
import 'dayjs/locale/pl';

// The UI's languages (shared/api/types' Language; spelled out so Node tests can import this file).
type Language = 'pl' | 'en';

/** How a picked day reads in its input: "5 grudnia 2026" / "Dec 5, 2026". */
export const DAY_FORMAT: Record<Language, string> = { pl: 'D MMMM YYYY', en: 'MMM D, YYYY' };

/** The dayjs locale for the UI language (anything unknown falls back to English, as i18next does). */
export const dayjsLocale = (language: string): Language => (language.startsWith('pl') ? 'pl' : 'en');

/** A `yyyy-mm-dd` day as its input shows it in `language`. */
export const formatDay = (day: string, language: string): string => {
  const locale = dayjsLocale(language);
  return dayjs(day).locale(locale).format(DAY_FORMAT[locale]);
};
