import { css } from 'lit';
import { formLayoutStyles } from './form-styles.js';

/** Layout of the schedule editor: two columns on a laptop, one on a phone, the conflict notice in amber. */
export const editorStyles = [
  formLayoutStyles,
  css`
  fieldset {
    border: 1px solid var(--xs-line, #c9d1d9);
    border-radius: 6px;
    padding: 0.5rem 0.75rem;
    margin: 0;
    display: grid;
    gap: 0.5rem;
  }
  legend {
    font-weight: 600;
  }
  .pair {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 0.5rem;
  }
  .warn {
    background: #fff3cd;
    border-left: 4px solid #8a6100;
    padding: 0.5rem 0.75rem;
    margin: 0;
    color: #4d3600;
  }
  .warn ul {
    margin: 0.25rem 0 0;
    padding-left: 1.2rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .tags {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    list-style: none;
    padding: 0;
    margin: 0;
  }
  .tags button {
    min-height: 2.25rem;
  }
`,
];
