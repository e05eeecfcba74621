import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, errorText } from '../../api.js';
import { formatDuration } from '../../format.js';
import { isMessageKey, t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import { type ScheduleCheck, type TargetArea, broadcastApi } from './broadcast-api.js';
import './playlist-picker.js';
import { type RecurrenceHost, recurrenceFields } from './recurrence-fields.js';
import { editorStyles } from './schedule-editor-styles.js';
import { type ScheduleDraft, draftOf, emptyDraft, toInput } from './schedule-form.js';
import './target-picker.js';
import { localDate, localIsoText, parseDateText, parseTimeText } from './week.js';

const CHECK_DELAY_MS = 400;

/** Create or edit a schedule, asking the server about overlaps while the person types. */
@customElement('xs-schedule-editor')
export class XsScheduleEditor extends LocalizedElement {
  static override styles = [sharedStyles, editorStyles];

  @property({ attribute: false }) areas: TargetArea[] = [];
  /** The schedule being edited; empty for a new one. */
  @property() scheduleId = '';
  /** Prefill for a new schedule (e.g. the area chosen on the calendar). */
  @property({ attribute: false }) initial: Partial<ScheduleDraft> = {};
  @state() private draft: ScheduleDraft = emptyDraft(localDate(Date.now()));
  @state() private checked: ScheduleCheck | undefined;
  @state() private checkError = '';
  @state() private saveError = '';
  @state() private busy = false;
  @state() private loadError = '';
  /** What the person typed in the date and time boxes, kept while it does not parse yet. */
  @state() private raw: Record<string, string> = {};
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private checkSeq = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.draft = { ...emptyDraft(localDate(Date.now())), ...this.initial };
    if (this.scheduleId) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.checkTimer);
  }

  private async load(): Promise<void> {
    try {
      const s = await broadcastApi.schedule(this.scheduleId);
      const draft = draftOf(s, localDate);
      if (!draft) {
        this.loadError = t('bc.editor.cronOnly');
        return;
      }
      this.draft = draft;
      this.scheduleCheck();
    } catch (err) {
      this.loadError = errorText(err);
    }
  }

  private change(patch: Partial<ScheduleDraft>): void {
    this.draft = { ...this.draft, ...patch };
    this.saveError = '';
    this.scheduleCheck();
  }

  private scheduleCheck(): void {
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => void this.runCheck(), CHECK_DELAY_MS);
  }

  private async runCheck(): Promise<void> {
    const built = toInput(this.draft);
    const seq = ++this.checkSeq;
    if (!('input' in built)) {
      this.checked = undefined;
      this.checkError = '';
      return;
    }
    try {
      const check = await broadcastApi.check(built.input, this.scheduleId || undefined);
      if (seq !== this.checkSeq) return;
      this.checked = check;
      this.checkError = '';
    } catch (err) {
      if (seq !== this.checkSeq) return;
      this.checked = undefined;
      this.checkError = errorText(err);
    }
  }

  private async save(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const parsers = {
      date: parseDateText,
      validFrom: parseDateText,
      validTo: parseDateText,
      time: parseTimeText,
    };
    for (const [field, parse] of Object.entries(parsers)) {
      const raw = this.raw[field]?.trim();
      if (raw && parse(raw) === undefined) {
        this.saveError = t('bc.editor.badValue', { value: raw });
        return;
      }
    }
    const built = toInput(this.draft);
    if (!('input' in built)) {
      const key = `field.${built.missing}`;
      this.saveError = t('bc.editor.missing', { field: isMessageKey(key) ? t(key) : built.missing });
      return;
    }
    this.busy = true;
    try {
      const result = await broadcastApi.save(built.input, this.scheduleId || undefined);
      this.dispatchEvent(
        new CustomEvent('schedule-saved', { detail: result, bubbles: true, composed: true }),
      );
    } catch (err) {
      this.saveError = errorText(err);
      if (err instanceof ApiError && err.status === 409) void this.runCheck();
    } finally {
      this.busy = false;
    }
  }

  private async deleteSchedule(): Promise<void> {
    if (!this.scheduleId || !globalThis.confirm(t('bc.editor.deleteConfirm', { title: this.draft.title })))
      return;
    try {
      await broadcastApi.remove(this.scheduleId);
      this.dispatchEvent(new CustomEvent('schedule-deleted', { bubbles: true, composed: true }));
    } catch (err) {
      this.saveError = errorText(err);
    }
  }

  private cancel(): void {
    this.dispatchEvent(new CustomEvent('editor-close', { bubbles: true, composed: true }));
  }

  private value(e: Event): string {
    return (e.target as HTMLInputElement).value;
  }

  override render() {
    const d = this.draft;
    if (this.loadError) return html`<p class="error" role="alert">${this.loadError}</p>`;
    return html`<form @submit=${this.save} novalidate aria-labelledby="editor-title">
      <h2 id="editor-title">${this.scheduleId ? t('bc.editor.editTitle') : t('bc.editor.newTitle')}</h2>
      <div class="columns">
        <div class="stack">
          <label>${t('bc.editor.title')}
            <input name="title" maxlength="200" required .value=${d.title}
              @input=${(e: Event) => this.change({ title: this.value(e) })}>
          </label>
          <xs-playlist-picker .value=${d.playlist}
            @playlist-change=${(e: CustomEvent<string[]>) => this.change({ playlist: e.detail })}></xs-playlist-picker>
          ${recurrenceFields(this.recurrenceHost(d))}
        </div>
        <div class="stack">
          <xs-target-picker .areas=${this.areas} .value=${d.target ? [d.target] : []}
            @targets-change=${(e: CustomEvent) => this.change({ target: e.detail[0] })}></xs-target-picker>
          <label>${t('bc.editor.volume', { volume: d.volume })}
            <input type="range" min="0" max="100" step="5" .value=${String(d.volume)}
              @change=${(e: Event) => this.change({ volume: Number(this.value(e)) })}>
          </label>
          <label>${t('bc.editor.priority')}
            <select @change=${(e: Event) => this.change({ priority: this.value(e) === 'priority' ? 'priority' : 'normal' })}>
              <option value="normal" ?selected=${d.priority === 'normal'}>${t('bc.priority.normal')}</option>
              <option value="priority" ?selected=${d.priority === 'priority'}>${t('bc.priority.priority')}</option>
            </select>
          </label>
        </div>
      </div>
      ${this.checkView()}
      ${this.saveError ? html`<p class="error" role="alert">${this.saveError}</p>` : ''}
      <div class="actions">
        <button type="submit" ?disabled=${this.busy}>${this.busy ? t('bc.editor.saving') : t('bc.editor.save')}</button>
        <button type="button" class="secondary" @click=${this.cancel}>${t('bc.editor.cancel')}</button>
        ${this.scheduleId ? html`<button type="button" class="danger" @click=${this.deleteSchedule}>${t('bc.editor.delete')}</button>` : ''}
      </div>
    </form>`;
  }

  private recurrenceHost(draft: ScheduleDraft): RecurrenceHost {
    return {
      draft,
      typed: (field) => this.raw[field],
      setTyped: (field, text) => {
        this.raw = { ...this.raw, [field]: text };
      },
      change: (patch) => this.change(patch),
      refuse: (message) => {
        this.saveError = message;
      },
    };
  }

  private checkView() {
    const c = this.checked;
    if (this.checkError) return html`<p class="error" role="status">${this.checkError}</p>`;
    if (!c) return html`<p class="hint" role="status">${t('bc.editor.checkHint')}</p>`;
    return html`<div role="status" aria-live="polite" class="stack">
      ${
        c.conflicts.length === 0
          ? html`<p class="ok">${t('bc.editor.noConflict', {
              clusters: c.clusters.length,
              duration: formatDuration(c.durationMs),
            })}</p>`
          : html`<div class="warn" data-conflicts=${c.conflicts.length}>
              <strong>${t('bc.editor.conflicts', { count: c.conflicts.length })}</strong>
              <ul>${c.conflicts.map(
                (x) =>
                  html`<li>${t('bc.editor.conflictItem', {
                    title: x.title,
                    when: localIsoText(x.first.existing),
                    overlaps: x.overlaps,
                    clusters: x.clusters.length,
                  })}</li>`,
              )}</ul>
              <label class="choices"><span><input type="checkbox" .checked=${this.draft.allowConflicts}
                @change=${(e: Event) => this.change({ allowConflicts: (e.target as HTMLInputElement).checked })}>
                ${t('bc.editor.allowConflicts')}</span></label>
            </div>`
      }
      ${c.needsApproval ? html`<p class="warn">${t('bc.editor.needsApproval')}</p>` : ''}
      ${c.pastOnly ? html`<p class="error">${t('bc.editor.pastOnly')}</p>` : ''}
    </div>`;
  }
}
