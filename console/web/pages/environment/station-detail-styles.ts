import { css } from 'lit';

/** The station page: header, the 24-hour index strip, chart controls, the channel table. */
export const stationDetailStyles = css`
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
        align-items: center;
        justify-content: space-between;
      }
      .strip {
        display: flex;
        gap: 2px;
        margin-top: 0.5rem;
      }
      .strip span {
        flex: 1;
        min-width: 4px;
        height: 1.6rem;
        border-radius: 2px;
        font-size: 0.7rem;
        text-align: center;
        line-height: 1.6rem;
        overflow: hidden;
      }
      .over {
        color: var(--xs-danger, #a4161a);
        font-weight: 700;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
        margin-bottom: 0.75rem;
      }
      .controls label {
        min-width: 14rem;
      }
      .presets {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
        border: 0;
        padding: 0;
        margin: 0;
      }
      .presets legend {
        font-weight: 600;
        margin-bottom: 0.25rem;
      }
      .presets button[aria-pressed='true'] {
        background: var(--xs-brand, #0b5c8a);
        color: #fff;
      }
      .presets button[aria-pressed='false'] {
        background: #fff;
        color: var(--xs-brand, #0b5c8a);
      }
      a.button {
        display: inline-flex;
        align-items: center;
        min-height: 2.5rem;
        padding: 0.4rem 1rem;
        border: 1px solid var(--xs-brand, #0b5c8a);
        border-radius: 4px;
        color: var(--xs-brand, #0b5c8a);
        text-decoration: none;
        font-weight: 600;
      }
      .meta {
        color: var(--xs-muted, #555f6b);
        font-size: 0.9rem;
        margin: 0.25rem 0 0;
      }
      td.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      @media (max-width: 40rem) {
        .strip span {
          font-size: 0;
        }
        .col-time {
          display: none;
        }
      }
    `;
