import { useEffect } from 'react';
import { useSettings } from '../stores/settings-store.ts';

/**
 * The theme setting on <html> (src/ui/tokens.css reads it): none for 'system', so the colours
 * follow the device's scheme as it changes.
 */
export function useThemeSetting(): void {
  const theme = useSettings((s) => s.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
