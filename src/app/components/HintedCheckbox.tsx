import { useId, type ReactNode } from 'react';

/** A settings checkbox with a sentence below it that says what it does (read out with it). */
export function HintedCheckbox({ checked, onChange, label, hint }: { checked: boolean; onChange: (checked: boolean) => void; label: string; hint: ReactNode }) {
  const hintId = useId();
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={hintId} />
        {label}
      </label>
      <p id={hintId} className="muted">
        {hint}
      </p>
    </>
  );
}
