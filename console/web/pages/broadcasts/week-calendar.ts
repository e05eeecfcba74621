import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatDate, formatDuration } from '../../format.js';
import { t } from '../../i18n/locale.js';
import { cssProps } from '../../shell/css-props.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import type { CalendarOccurrence } from './broadcast-api.js';
import { DAY_MS, WEEKDAYS, dayOfWeek, hourRange, layoutWeek, localTime, minuteOfDay } from './week.js';

const HOUR_REM = 3;

/** Mon–Sun columns and hour rows of a week's occurrences; on a phone, a list per day. */
@customElement('xs-week-calendar')
export class XsWeekCalendar extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: 3.5rem repeat(7, minmax(0, 1fr));
        border: 1px solid var(--xs-line, #c9d1d9);
        border-radius: 6px;
        overflow: hidden;
        background: #fff;
      }
      .head {
        background: #e9eef3;
        padding: 0.4rem 0.25rem;
        text-align: center;
        font-weight: 600;
        border-left: 1px solid var(--xs-line, #c9d1d9);
        font-size: 0.9rem;
      }
      .head.today {
        background: var(--xs-brand, #0b5c8a);
        color: #fff;
      }
      .head small {
        display: block;
        font-weight: 400;
      }
      .hours,
      .day {
        position: relative;
      }
      .hour {
        position: absolute;
        right: 0.3rem;
        font-size: 0.8rem;
        color: var(--xs-muted, #555f6b);
        transform: translateY(-0.5em);
      }
      .day {
        border-left: 1px solid var(--xs-line, #c9d1d9);
        background-image: linear-gradient(to bottom, #e3e8ee 1px, transparent 1px);
        background-size: 100% ${HOUR_REM}rem;
      }
      .day.today {
        background-color: #fff8e6;
      }
      .now {
        position: absolute;
        left: 0;
        right: 0;
        border-top: 2px solid var(--xs-danger, #a4161a);
        z-index: 2;
        pointer-events: none;
      }
      .block {
        position: absolute;
        min-height: 0;
        padding: 0.1rem 0.3rem;
        font-size: 0.8rem;
        line-height: 1.2;
        text-align: left;
        overflow: hidden;
        white-space: nowrap;
        text-overflow: ellipsis;
        border-radius: 4px;
        border: 1px solid #0b5c8a;
        background: #d7ebf7;
        color: #08324b;
        z-index: 1;
      }
      .block.pending {
        background: repeating-linear-gradient(45deg, #fff3cd, #fff3cd 6px, #ffe8a1 6px, #ffe8a1 12px);
        border-color: #8a6100;
        color: #4d3600;
      }
      .block.priority {
        border-width: 2px;
        font-weight: 600;
      }
      .agenda {
        display: none;
      }
      .agenda h3 {
        font-size: 1rem;
        margin: 0.75rem 0 0.25rem;
      }
      .agenda ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.35rem;
      }
      .agenda button {
        width: 100%;
        text-align: left;
        background: #d7ebf7;
        color: #08324b;
      }
      .agenda button.pending {
        background: #fff3cd;
        color: #4d3600;
        border-color: #8a6100;
      }
      @media (max-width: 40rem) {
        .grid {
          display: none;
        }
        .agenda {
          display: block;
        }
      }
    `,
  ];

  @property({ attribute: false }) occurrences: CalendarOccurrence[] = [];
  /** Local Monday 00:00 of the week shown. */
  @property({ type: Number }) start = 0;
  @property({ type: Number }) now = Date.now();

  private select(o: CalendarOccurrence): void {
    this.dispatchEvent(new CustomEvent('occurrence-select', { detail: o, bubbles: true, composed: true }));
  }

  private label(o: CalendarOccurrence): string {
    const status = o.status === 'pending-approval' ? ` (${t('bc.status.pending-approval')})` : '';
    return `${localTime(o.start)} ${o.title} (${formatDuration(o.end - o.start)})${status}`;
  }

  private dayName(day: number): string {
    return t(`bc.day.${WEEKDAYS[day] ?? 'mon'}`);
  }

  override render() {
    const placed = layoutWeek(this.occurrences, this.start);
    const { first, last } = hourRange(placed);
    const today = dayOfWeek(this.now, this.start);
    const height = `${(last - first + 1) * HOUR_REM}rem`;
    const toRem = (minute: number) => `${((minute - first * 60) / 60) * HOUR_REM}rem`;
    const nowMinute = minuteOfDay(this.now);
    // The red line only where the grid has hours for it; before 05:00 the today column alone says enough.
    const nowVisible = nowMinute >= first * 60 && nowMinute < (last + 1) * 60;
    const days = [0, 1, 2, 3, 4, 5, 6];
    const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    return html`
      <div class="grid" role="group" aria-label=${t('bc.calendar.label')}>
        <div class="head" aria-hidden="true"></div>
        ${days.map(
          (d) => html`<div class="head ${d === today ? 'today' : ''}">
            ${this.dayName(d)}<small>${formatDate(this.start + d * DAY_MS).slice(0, 5)}${
              d === today ? ` · ${t('bc.calendar.today')}` : ''
            }</small>
          </div>`,
        )}
        <div class="hours" data-place=${cssProps({ height })} aria-hidden="true">
          ${hours.map(
            (h) =>
              html`<span class="hour" data-place=${cssProps({ top: toRem(h * 60) })}>${h > first ? `${h}:00` : ''}</span>`,
          )}
        </div>
        ${days.map(
          (d) => html`<div class="day ${d === today ? 'today' : ''}" data-place=${cssProps({ height })}>
            ${d === today && nowVisible ? html`<div class="now" data-place=${cssProps({ top: toRem(nowMinute) })}></div>` : ''}
            ${placed
              .filter((p) => p.day === d)
              .map(
                (p) => html`<button
                  type="button"
                  class="block ${p.item.status === 'pending-approval' ? 'pending' : ''} ${
                    p.item.priority === 'normal' ? '' : 'priority'
                  }"
                  data-schedule-id=${p.item.scheduleId}
                  data-place=${cssProps({
                    top: toRem(p.fromMinute),
                    height: `${((p.toMinute - p.fromMinute) / 60) * HOUR_REM}rem`,
                    left: `${(p.lane / p.lanes) * 100}%`,
                    width: `calc(${100 / p.lanes}% - 2px)`,
                  })}
                  aria-label=${`${this.dayName(d)} ${this.label(p.item)}`}
                  title=${this.label(p.item)}
                  @click=${() => this.select(p.item)}
                >${localTime(p.item.start)} ${p.item.title}</button>`,
              )}
          </div>`,
        )}
      </div>
      <div class="agenda">
        ${days.map((d) => {
          const mine = placed.filter((p) => p.day === d);
          return html`<h3>${this.dayName(d)} ${formatDate(this.start + d * DAY_MS)}${
            d === today ? ` · ${t('bc.calendar.today')}` : ''
          }</h3>
            ${
              mine.length === 0
                ? html`<p class="hint">${t('bc.calendar.nothing')}</p>`
                : html`<ul>${mine.map(
                    (
                      p,
                    ) => html`<li><button type="button" class=${p.item.status === 'pending-approval' ? 'pending' : ''}
                      data-schedule-id=${p.item.scheduleId} @click=${() => this.select(p.item)}>
                      ${this.label(p.item)}</button></li>`,
                  )}</ul>`
            }`;
        })}
      </div>
    `;
  }
}
