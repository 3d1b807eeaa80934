import type { Page } from '@playwright/test';

export interface CoveredControl {
  control: string;
  coveredBy: string;
}

/**
 * Every control a user can reach now (visible, on screen, not in an inert part of the page)
 * whose centre is covered by something else: what a tap there would hit instead. Controls
 * scrolled out of their panel are skipped (scrolling brings them into view).
 */
export function coveredControls(page: Page): Promise<CoveredControl[]> {
  return page.evaluate(() => {
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}[${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}]`;
    const controls = document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [role="button"]');
    const covered: { control: string; coveredBy: string }[] = [];
    for (const control of Array.from(controls)) {
      if (control.closest('[inert]') || control.closest('[hidden]')) continue;
      const style = getComputedStyle(control);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const box = control.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const x = box.left + box.width / 2;
      const y = box.top + box.height / 2;
      if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) continue;
      // Inside a scrolling panel, only the part of it on screen counts.
      const scroller = control.closest('.drawer-body, .transcript');
      if (scroller) {
        const area = scroller.getBoundingClientRect();
        if (y < area.top || y > area.bottom) continue;
      }
      const hit = document.elementFromPoint(x, y);
      if (!hit || (hit !== control && !control.contains(hit) && !(control as HTMLInputElement).labels?.[0]?.contains(hit))) {
        covered.push({ control: describe(control), coveredBy: hit ? describe(hit) : 'nothing (off screen)' });
      }
    }
    return covered;
  });
}
