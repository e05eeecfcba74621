import { css } from 'lit';

/** The form layout the broadcast editors share: two columns on a laptop, one on a phone, big radio choices. */
export const formLayoutStyles = css`
  form {
    max-width: none;
  }
  .columns {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr));
    gap: 1rem;
    align-items: start;
  }
  .stack {
    display: grid;
    gap: 0.75rem;
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
  }
  .choices label {
    display: flex;
    align-items: center;
    gap: 0.4rem;
    font-weight: 400;
    min-height: 2.5rem;
  }
  .choices input {
    width: 1.3rem;
    height: 1.3rem;
    min-height: 0;
  }
`;
