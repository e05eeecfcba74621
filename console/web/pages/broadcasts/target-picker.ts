import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { t } from '../../i18n/locale.js';
import { LocalizedElement } from '../../shell/localized-element.js';
import { sharedStyles } from '../../shell/shared-styles.js';
import type { Target, TargetArea } from './broadcast-api.js';
import { type AreaNode, buildTree, targetKey } from './target-tree.js';

/**
 * The area tree with each area's clusters: checkboxes when several targets are allowed (play now,
 * emergency), radio buttons when one is (a schedule has one target). Choosing an area covers everything
 * below it, so those boxes show as chosen and locked.
 */
@customElement('xs-target-picker')
export class XsTargetPicker extends LocalizedElement {
  static override styles = [
    sharedStyles,
    css`
      fieldset {
        border: 1px solid var(--xs-line, #c9d1d9);
        border-radius: 6px;
        padding: 0.5rem 0.75rem;
        margin: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 0.25rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding-left: 1.25rem;
      }
      fieldset > ul {
        padding-left: 0;
      }
      li label {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        font-weight: 400;
        min-height: 2.5rem;
      }
      li label.area {
        font-weight: 600;
      }
      input {
        width: 1.35rem;
        height: 1.35rem;
        min-height: 0;
        margin: 0;
      }
      .count {
        color: var(--xs-muted, #555f6b);
        font-weight: 400;
        font-size: 0.9rem;
      }
    `,
  ];

  @property({ attribute: false }) areas: TargetArea[] = [];
  @property({ attribute: false }) value: Target[] = [];
  @property({ type: Boolean }) multiple = false;
  @property() legend = '';
  /** Leave clusters out (the emergency flow warns whole areas). */
  @property({ type: Boolean, attribute: 'areas-only' }) areasOnly = false;

  private chosen(): Set<string> {
    return new Set(this.value.map(targetKey));
  }

  private toggle(target: Target, on: boolean): void {
    const key = targetKey(target);
    const next = this.multiple
      ? on
        ? [...this.value.filter((v) => targetKey(v) !== key), target]
        : this.value.filter((v) => targetKey(v) !== key)
      : [target];
    this.value = next;
    this.dispatchEvent(new CustomEvent('targets-change', { detail: next, bubbles: true, composed: true }));
  }

  override render() {
    return html`<fieldset>
      <legend>${this.legend || t('bc.targets.legend')}</legend>
      <ul>${buildTree(this.areas).map((n) => this.node(n, this.chosen(), false))}</ul>
    </fieldset>`;
  }

  private input(target: Target, checked: boolean, covered: boolean, disabled: boolean) {
    return html`<input
      type=${this.multiple ? 'checkbox' : 'radio'}
      name="target"
      .checked=${checked || covered}
      ?disabled=${disabled || covered}
      @change=${(e: Event) => this.toggle(target, (e.target as HTMLInputElement).checked)}
    />`;
  }

  private node(node: AreaNode, chosen: Set<string>, covered: boolean): unknown {
    const { area } = node;
    const target: Target = { kind: 'area', areaId: area.id };
    const checked = chosen.has(targetKey(target));
    const coversBelow = covered || (this.multiple && checked);
    return html`<li>
      <label class="area" data-area-id=${area.id}>
        ${this.input(target, checked, covered, !area.mayAct || area.totalClusters === 0)}
        <span>${area.name}</span>
        <span class="count">${t('bc.targets.clusters', { count: area.totalClusters })}</span>
      </label>
      <ul>
        ${
          this.areasOnly
            ? ''
            : area.clusters.map((c) => {
                const cluster: Target = { kind: 'cluster', clusterId: c.id };
                return html`<li><label data-cluster-id=${c.id}>
                  ${this.input(cluster, chosen.has(targetKey(cluster)), coversBelow, !area.mayAct)}
                  <span>${c.name}</span>
                </label></li>`;
              })
        }
        ${node.children.map((n) => this.node(n, chosen, coversBelow))}
      </ul>
    </li>`;
  }
}
