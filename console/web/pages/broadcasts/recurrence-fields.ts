import { type TemplateResult, html } from 'lit';
import { t } from '../../i18n/locale.js';
import type { ScheduleDraft } from './schedule-form.js';
import { WEEKDAYS, type Weekday, dateText, parseDateText, parseTimeText } from './week.js';

/** The date and time boxes typed as text, and the box that adds one date to a list of dates. */
export type TypedField = 'date' | 'validFrom' | 'validTo' | 'time' | 'addDate';

/** What the recurrence section needs from the schedule editor that holds the draft. */
export interface RecurrenceHost {
  draft: ScheduleDraft;
  /** What the person typed in a box, kept while it does not parse yet. */
  typed(field: TypedField): string | undefined;
  setTyped(field: TypedField, text: string): void;
  change(patch: Partial<ScheduleDraft>): void;
  /** Shows why a value was not taken, where the editor shows its save errors. */
  refuse(message: string): void;
}

const KINDS = ['once', 'daily', 'weekly', 'dates'] as const;

const inputValue = (e: Event): string => (e.target as HTMLInputElement).value;

/** When a schedule plays: once, daily, on weekdays or on listed dates, at a time, within a validity. */
export function recurrenceFields(host: RecurrenceHost): TemplateResult {
  const d = host.draft;
  return html`<fieldset>
      <legend>${t('bc.editor.when')}</legend>
      <div class="choices" role="radiogroup" aria-label=${t('bc.editor.repeat')}>
        ${KINDS.map(
          (k) => html`<label><input type="radio" name="kind" .checked=${d.kind === k}
            @change=${() => host.change({ kind: k })}>${t(`bc.recurrence.${k}`)}</label>`,
        )}
      </div>
      ${d.kind === 'once' ? dateField(host, 'date', t('bc.editor.date')) : ''}
      ${d.kind === 'weekly' ? weekdays(host, d.days) : ''}
      ${d.kind === 'dates' ? dateList(host, d.dates) : ''}
      ${textField(host, 'time', t('bc.editor.time'), t('bc.editor.timeHint'), parseTimeText)}
      ${
        d.kind === 'daily' || d.kind === 'weekly'
          ? html`<div class="pair">
              ${dateField(host, 'validFrom', t('bc.editor.validFrom'))}
              ${dateField(host, 'validTo', t('bc.editor.validTo'))}
            </div>`
          : ''
      }
    </fieldset>`;
}

function weekdays(host: RecurrenceHost, days: Weekday[]): TemplateResult {
  const toggle = (day: Weekday, on: boolean) =>
    host.change({ days: WEEKDAYS.filter((w) => (w === day ? on : days.includes(w))) });
  return html`<div class="choices" role="group" aria-label=${t('bc.editor.days')}>
      ${WEEKDAYS.map(
        (w) => html`<label><input type="checkbox" .checked=${days.includes(w)}
          @change=${(e: Event) => toggle(w, (e.target as HTMLInputElement).checked)}>${t(`bc.day.${w}`)}</label>`,
      )}
    </div>`;
}

function dateList(host: RecurrenceHost, dates: string[]): TemplateResult {
  const add = () => {
    const picked = parseDateText(host.typed('addDate') ?? '');
    if (!picked) {
      host.refuse(t('bc.editor.badDate', { value: host.typed('addDate') ?? '' }));
      return;
    }
    host.setTyped('addDate', '');
    if (!dates.includes(picked)) host.change({ dates: [...dates, picked] });
  };
  return html`<div class="stack">
      <ul class="tags" aria-label=${t('bc.editor.dates')}>
        ${[...dates].sort().map(
          (date) => html`<li><button type="button" class="secondary"
            aria-label=${t('bc.editor.removeDate', { date: dateText(date) })}
            @click=${() => host.change({ dates: dates.filter((x) => x !== date) })}>
            ${dateText(date)} ✕</button></li>`,
        )}
      </ul>
      <div class="pair">
        <label>${t('bc.editor.addDate')}<span class="hint">${t('bc.editor.dateHint')}</span>
          <input inputmode="numeric" placeholder="dd/mm/yyyy" .value=${host.typed('addDate') ?? ''}
            @input=${(e: Event) => host.setTyped('addDate', inputValue(e))}
            @keydown=${(e: KeyboardEvent) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              add();
            }}></label>
        <button type="button" class="secondary" @click=${add}>${t('bc.editor.addDateButton')}</button>
      </div>
    </div>`;
}

function dateField(host: RecurrenceHost, field: 'date' | 'validFrom' | 'validTo', label: string) {
  return textField(host, field, label, t('bc.editor.dateHint'), parseDateText, dateText);
}

/**
 * Dates and times are typed as text (dd/mm/yyyy, 24-hour HH:MM): native pickers follow the browser's
 * locale and show mm/dd/yyyy and AM/PM on many commune computers.
 */
function textField(
  host: RecurrenceHost,
  field: 'date' | 'validFrom' | 'validTo' | 'time',
  label: string,
  hint: string,
  parse: (text: string) => string | undefined,
  show: (value: string) => string = (v) => v,
): TemplateResult {
  const raw = host.typed(field) ?? (host.draft[field] ? show(host.draft[field]) : '');
  const bad = raw.trim() !== '' && parse(raw) === undefined;
  return html`<label>${label}<span class="hint" id="hint-${field}">${hint}</span>
      <input name=${field} inputmode="numeric" autocomplete="off" .value=${raw}
        placeholder=${field === 'time' ? 'HH:MM' : 'dd/mm/yyyy'} aria-describedby="hint-${field}"
        aria-invalid=${bad ? 'true' : 'false'}
        @input=${(e: Event) => {
          const text = inputValue(e);
          host.setTyped(field, text);
          host.change({ [field]: parse(text) ?? '' });
        }}>
      ${bad ? html`<span class="error">${t('bc.editor.badValue', { value: raw })}</span>` : ''}
    </label>`;
}
