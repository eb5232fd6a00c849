import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { DAY_FORMAT, dayjsLocale } from '../lib/date-locale';
import { type Day, isDay } from '../lib/day-range';

interface DayInputProps {
  label: string;
  /** `yyyy-mm-dd`, or null for no day. */
  value: Day | null;
  onChange: (day: Day | null) => void;
  /** Days before `minDay` / after `maxDay` cannot be picked (e.g. "to" before "from"). */
  minDay?: Day | null;
  maxDay?: Day | null;
  w?: Parameters<typeof DatePickerInput>[0]['w'];
}

/**
 * A clearable day picker in the UI language (month and weekday names, the day's format), in place
 * of the browser's `<input type="date">`, which follows the browser's language ("mm/dd/yyyy" in a
 * Polish UI). On a phone the calendar opens in a centred dialog that fits a 360 px screen.
 */
export function DayInput({ label, value, onChange, minDay, maxDay, w }: DayInputProps) {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const locale = dayjsLocale(i18n.language);
  return (
    <DatesProvider settings={{ locale, firstDayOfWeek: 1 }}>
      <DatePickerInput
        label={label}
        placeholder={t('dates.pick')}
        valueFormat={DAY_FORMAT[locale]}
        value={isDay(value) ? value : null}
        onChange={(day) => onChange(day)}
        minDate={isDay(minDay) ? minDay : undefined}
        maxDate={isDay(maxDay) ? maxDay : undefined}
        clearable
        clearButtonProps={{ 'aria-label': t('dates.clear', { label }) }}
        dropdownType={phone ? 'modal' : 'popover'}
        modalProps={{ centered: true, size: 'auto', title: label }}
        ariaLabels={{
          previousMonth: t('dates.previousMonth'),
          nextMonth: t('dates.nextMonth'),
          previousYear: t('dates.previousYear'),
          nextYear: t('dates.nextYear'),
          previousDecade: t('dates.previousDecade'),
          nextDecade: t('dates.nextDecade'),
        }}
        w={w}
      />
    </DatesProvider>
  );
}
