import { css } from 'lit';

export const devicePageStyles = css`
  .crumbs {
    margin: 0 0 0.5rem;
  }
  .device-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    margin-bottom: 0.75rem;
  }
  .device-head h1 {
    margin: 0;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr));
    gap: 0 1rem;
  }
  table.kv th {
    width: 45%;
    background: #f4f6f8;
    font-weight: 600;
  }
  tr.problem td,
  li.problem {
    color: var(--xs-danger, #a4161a);
    font-weight: 600;
  }
  .state-badge {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    font-weight: 700;
    font-size: 1.1rem;
  }
  .xs-marker {
    box-sizing: border-box;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 26px;
    height: 26px;
    border-radius: 50%;
    border: 2px solid #fff;
    font: 700 12px/1 system-ui, sans-serif;
  }
  .pill {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.15rem 0.6rem;
    border-radius: 999px;
    background: #e9eef3;
    font-size: 0.9rem;
  }
  .pill.live::before {
    content: '';
    width: 0.6rem;
    height: 0.6rem;
    border-radius: 50%;
    background: #1e7b34;
  }
  .playing {
    font-weight: 600;
    color: var(--xs-brand, #0b5c8a);
  }
  .row-actions.big button {
    min-height: 2.75rem;
    padding: 0.4rem 1rem;
  }
  form.position {
    margin-top: 1rem;
    max-width: none;
  }
  form.position fieldset {
    border: 1px solid var(--xs-line, #c9d1d9);
    border-radius: 6px;
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: end;
  }
  form.position legend {
    font-weight: 600;
  }
  form.position label {
    flex: 1 1 10rem;
  }
  .enrollment-code {
    font-size: 1.5rem;
    letter-spacing: 0.1em;
    word-break: break-all;
  }
  .timeline {
    margin: 0;
    padding-left: 1.25rem;
  }
  .timeline li {
    margin: 0.25rem 0;
  }
  .timeline time {
    font-variant-numeric: tabular-nums;
    color: var(--xs-muted, #555f6b);
    margin-right: 0.5rem;
  }
  ul.charts {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
    gap: 0.75rem 1.25rem;
  }
  ul.charts li {
    display: grid;
    gap: 0.2rem;
  }
  .chart-label {
    font-weight: 600;
  }
  svg.spark {
    width: 100%;
    height: 56px;
    border: 1px solid var(--xs-line, #c9d1d9);
    border-radius: 4px;
  }
  h3 {
    font-size: 1.05rem;
    margin: 1rem 0 0.5rem;
  }
`;
