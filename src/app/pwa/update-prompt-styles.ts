import type { CSSProperties } from 'react';

// Inline styles rather than a stylesheet: a separate CSS file for a banner that is rarely shown
// would be one more render-blocking request on every first paint (Lighthouse measured ~300 ms on
// a slow connection). React applies these through the CSSOM, which the relay's CSP allows.

/** Floats over the page so appearing never shifts the transcript or the talk button. */
export const regionStyle: CSSProperties = {
  position: 'fixed',
  left: 0,
  right: 0,
  bottom: '1rem',
  display: 'flex',
  justifyContent: 'center',
  pointerEvents: 'none',
  zIndex: 10,
};

export const promptStyle: CSSProperties = {
  pointerEvents: 'auto',
  display: 'flex',
  alignItems: 'center',
  flexWrap: 'wrap',
  gap: '0.75rem',
  maxWidth: 'min(36rem, calc(100vw - 2rem))',
  padding: '0.75rem 1rem',
  borderRadius: '12px',
  background: '#1f2a44',
  color: '#ffffff',
  boxShadow: '0 6px 24px rgb(0 0 0 / 0.25)',
};

export const messageStyle: CSSProperties = { margin: 0, flex: '1 1 16rem' };

export const actionsStyle: CSSProperties = { display: 'flex', gap: '0.5rem' };

export const buttonStyle: CSSProperties = { borderColor: '#ffffff' };
