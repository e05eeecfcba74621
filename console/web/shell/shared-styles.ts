import { css } from 'lit';

/** Forms, buttons, tables and messages shared by every page; large targets for touch and old screens. */
export const sharedStyles = css`
  :host {
    display: block;
  }
  *:focus-visible {
    outline: 3px solid var(--xs-focus, #f0a202);
    outline-offset: 2px;
  }
  h1,
  h2 {
    line-height: 1.25;
    margin: 0 0 0.75rem;
  }
  h1 {
    font-size: 1.5rem;
  }
  h2 {
    font-size: 1.2rem;
  }
  .card {
    background: var(--xs-card, #fff);
    border: 1px solid var(--xs-line, #c9d1d9);
    border-radius: 6px;
    padding: 1rem;
    margin-bottom: 1rem;
  }
  form {
    display: grid;
    gap: 0.75rem;
    max-width: 40rem;
  }
  label {
    display: grid;
    gap: 0.25rem;
    font-weight: 600;
  }
  .hint {
    font-weight: 400;
    color: var(--xs-muted, #555f6b);
    font-size: 0.9rem;
  }
  input,
  select,
  textarea,
  button {
    font: inherit;
    min-height: 2.5rem;
    box-sizing: border-box;
  }
  input,
  select,
  textarea {
    padding: 0.4rem 0.5rem;
    border: 1px solid #8a96a3;
    border-radius: 4px;
    background: #fff;
    color: inherit;
    width: 100%;
  }
  textarea {
    min-height: 6rem;
  }
  button {
    padding: 0.4rem 1rem;
    border-radius: 4px;
    border: 1px solid var(--xs-brand, #0b5c8a);
    background: var(--xs-brand, #0b5c8a);
    color: var(--xs-brand-ink, #fff);
    cursor: pointer;
    justify-self: start;
  }
  button.secondary {
    background: #fff;
    color: var(--xs-brand, #0b5c8a);
  }
  button.danger {
    background: #fff;
    color: var(--xs-danger, #a4161a);
    border-color: var(--xs-danger, #a4161a);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  .error {
    color: var(--xs-danger, #a4161a);
    background: #fdecea;
    border-left: 4px solid var(--xs-danger, #a4161a);
    padding: 0.5rem 0.75rem;
    margin: 0;
  }
  .ok {
    color: var(--xs-ok, #1e7b34);
    background: #e8f5ea;
    border-left: 4px solid var(--xs-ok, #1e7b34);
    padding: 0.5rem 0.75rem;
    margin: 0;
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.5rem;
    border-bottom: 1px solid var(--xs-line, #c9d1d9);
    vertical-align: middle;
  }
  th {
    background: #e9eef3;
  }
  .row-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
  }
  .row-actions button {
    min-height: 2.25rem;
    padding: 0.25rem 0.6rem;
  }
  @media (max-width: 40rem) {
    th,
    td {
      padding: 0.35rem;
    }
    .card {
      padding: 0.75rem;
    }
  }
`;
