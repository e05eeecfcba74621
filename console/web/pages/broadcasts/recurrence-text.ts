import { t } from '../../i18n/locale.js';
import type { Recurrence } from './broadcast-api.js';
import { WEEKDAYS, dateText } from './week.js';

/** A recurrence in words: "Hằng tuần: Thứ Hai, Thứ Năm lúc 06:00". */
export function recurrenceText(r: Recurrence): string {
  switch (r.kind) {
    case 'once':
      return t('bc.recurrenceText.once', { date: dateText(r.date), time: r.time.slice(0, 5) });
    case 'daily':
      return t('bc.recurrenceText.daily', { time: r.time.slice(0, 5) });
    case 'weekly': {
      const days = WEEKDAYS.filter((d) => r.days.includes(d)).map((d) => t(`bc.day.${d}`));
      return t('bc.recurrenceText.weekly', { days: days.join(', '), time: r.time.slice(0, 5) });
    }
    case 'dates':
      return t('bc.recurrenceText.dates', {
        dates: r.dates.map(dateText).join(', '),
        time: r.time.slice(0, 5),
      });
    case 'cron':
      return t('bc.recurrenceText.cron', { cron: r.cron });
  }
}
