import { css } from 'lit';

// Logical properties where a side matters (RTL-safe); colours behind custom properties, the rest
// through ::part(); no `style=` attributes anywhere (strict CSP: Lit adopts this sheet as a
// constructed stylesheet). Font family and colour inherit through the shadow boundary.
// The pay button's label is 19px bold so that white on #1677FF (4.1:1) meets WCAG AA as large
// text; the retry button's text uses a darker blue (6:1 on white).
export const styles = css`
  :host {
    --_c: var(--alipay-checkout-color, #1677ff);
    --_t: var(--alipay-checkout-text-color, #fff);
    display: inline-block;
  }
  :host([hidden]) {
    display: none;
  }
  .root {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
  }
  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    margin: 0;
    font: inherit;
    cursor: pointer;
    border-radius: var(--alipay-checkout-radius, 8px);
  }
  .pay {
    justify-self: stretch;
    min-block-size: 48px;
    padding-inline: 1.25em;
    border: 0;
    background: var(--_c);
    color: var(--_t);
    font-size: 1.1875rem;
    font-weight: 700;
  }
  .pay:hover {
    background: color-mix(in srgb, var(--_c) 86%, #000);
  }
  .pay:disabled {
    opacity: 0.45;
    cursor: not-allowed;
  }
  .retry {
    min-block-size: 44px;
    padding-inline: 1em;
    border: 2px solid;
    background: none;
    color: var(--alipay-checkout-link-color, #0958d9);
    font-weight: 600;
  }
  button:focus-visible {
    outline: 3px solid var(--_c);
    outline-offset: 2px;
  }
  svg,
  .spin {
    flex: none;
    inline-size: 1.25em;
    block-size: 1.25em;
  }
  svg {
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .mark rect {
    fill: var(--_t);
    stroke: none;
  }
  .mark path {
    stroke: var(--_c);
  }
  .spin {
    box-sizing: border-box;
    border: 0.15em solid;
    border-block-start-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    /* No rotation: a still, dimmed ring; the text says what is happening. */
    .spin {
      animation: none;
      border-color: currentColor;
      opacity: 0.5;
    }
  }
  .status {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  .paid svg {
    color: var(--alipay-checkout-success-color, #1a7f37);
  }
  .failed svg,
  .error svg {
    color: var(--alipay-checkout-error-color, #c62828);
  }
  .pending svg,
  .verifying .spin {
    color: var(--_c);
  }
  @media (forced-colors: active) {
    .pay {
      border: 2px solid;
    }
  }
`;
