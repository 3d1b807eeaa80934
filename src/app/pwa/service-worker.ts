import { Workbox } from 'workbox-window';
import { useAppUpdate } from './update-store.ts';

/** A tab left open for days (a kiosk, a kitchen tablet) should still hear about new versions. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

let started = false;

/**
 * Registers the service worker built by vite-plugin-pwa (production builds only: `vite dev` serves
 * modules that must not be cached) and turns its lifecycle into offers in `useAppUpdate`.
 * Nothing here reloads the page unless the user accepted the offer in this tab, so a conversation
 * in progress is never cut off by a deployment. Safe to call more than once.
 */
export function startServiceWorker(): void {
  if (started) return;
  started = true;
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;

  const workbox = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
  let acceptedHere = false;

  // A new version finished installing (also fired at start-up when one was already waiting).
  workbox.addEventListener('waiting', () => {
    useAppUpdate.getState().offer('waiting', () => {
      acceptedHere = true;
      // The generated worker calls skipWaiting() on this message; 'controlling' follows.
      workbox.messageSkipWaiting();
    });
  });

  workbox.addEventListener('controlling', (event) => {
    if (acceptedHere) {
      // The new version controls the page now: reload to run its code.
      window.location.reload();
      return;
    }
    // The first install takes an uncontrolled page (clientsClaim): nothing changed for the user.
    if (!event.isUpdate && !event.isExternal) return;
    // Another tab accepted the update. This tab keeps its conversation and is offered a reload.
    useAppUpdate.getState().offer('activated-elsewhere', () => window.location.reload());
  });

  workbox
    .register()
    .then(() => {
      setInterval(() => void workbox.update().catch(() => undefined), UPDATE_CHECK_INTERVAL_MS);
    })
    .catch((error: unknown) => {
      // Without a service worker the app still works online; it just cannot start offline.
      console.warn('Service worker registration failed:', error);
    });
}
