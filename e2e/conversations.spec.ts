// Issue 13: conversations have one owner. Deleting the open conversation deletes it everywhere:
// the list, the device's IndexedDB and the voice loop's history, so neither the next turn nor a
// reload brings it back, and no later LLM prompt contains it. Typed messages, microphone denied:
// the microphone path is not the subject.
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.ts';

const SECRET = 'pineapple';

/**
 * Records the prompt of every LLM call the page makes, as it leaves for the LLM worker (the
 * worker RPC posts `{ kind: 'call', method: 'generate', args: { messages } }`).
 */
async function recordPrompts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __prompts?: string[] };
    if (w.__prompts) return;
    const prompts: string[] = (w.__prompts = []);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with .apply(this, ...) below
    const post = Worker.prototype.postMessage as (this: Worker, ...args: unknown[]) => void;
    Worker.prototype.postMessage = function (this: Worker, ...args: unknown[]) {
      const call = args[0] as { kind?: string; method?: string; args?: { messages?: unknown } } | undefined;
      if (call?.kind === 'call' && call.method === 'generate') prompts.push(JSON.stringify(call.args?.messages));
      post.apply(this, args);
    } as Worker['postMessage'];
  });
}

const prompts = (page: Page) => page.evaluate(() => (window as unknown as { __prompts: string[] }).__prompts);

/** Every conversation record in the app's IndexedDB, read from the page, as one string. */
function stored(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('hearth');
        // Not created yet: nothing is stored (and this read must not create it).
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => resolve('[]');
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('conversations').objectStore('conversations').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(JSON.stringify(all.result));
          };
          all.onerror = () => reject(all.error ?? new Error('Reading the conversations failed'));
        };
      }),
  );
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Type a message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('a deleted conversation is gone for good: from the list, the device and the next prompt, also after a reload', async ({ openApp }) => {
  // The models load twice (before and after the reload).
  test.setTimeout(300_000);
  const { page } = await openApp({ denyMicrophone: true });
  await recordPrompts(page);
  const list = page.getByRole('navigation', { name: 'Conversations' });

  await send(page, `My secret word is ${SECRET}.`);
  await expect.poll(() => prompts(page), { timeout: 150_000 }).toHaveLength(1);
  expect((await prompts(page))[0]).toContain(SECRET);
  await expect.poll(() => stored(page)).toContain(SECRET);

  // Deleted at once: its reply is still under way (speaking it takes seconds).
  await page.getByRole('button', { name: 'Conversations' }).click();
  await list.getByRole('button', { name: `Delete conversation “My secret word is ${SECRET}.”` }).click();
  await expect(list.getByRole('listitem')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await expect.poll(() => stored(page)).toBe('[]');

  await send(page, 'What should I cook tonight?');
  await expect.poll(() => prompts(page)).toHaveLength(2);
  const second = (await prompts(page))[1]!;
  expect(second).toContain('What should I cook tonight?');
  expect(second).not.toContain(SECRET);
  await page.getByRole('button', { name: 'Conversations' }).click();
  await expect(list.getByRole('listitem')).toHaveText(['What should I cook tonight?×']);
  await page.keyboard.press('Escape');
  await expect.poll(() => stored(page)).toContain('What should I cook tonight?');
  expect(await stored(page)).not.toContain(SECRET);

  await page.reload();
  await recordPrompts(page);
  // The newest conversation opens again, and only it is listed.
  await expect(page.getByTestId('message-user').first().locator('.text')).toHaveText('What should I cook tonight?');
  await page.getByRole('button', { name: 'Conversations' }).click();
  await expect(list.getByRole('listitem')).toHaveText(['What should I cook tonight?×']);
  await page.keyboard.press('Escape');
  await expect(page.locator('body')).not.toContainText(SECRET);
  expect(await stored(page)).not.toContain(SECRET);

  await send(page, 'Something quick, please.');
  await expect.poll(() => prompts(page), { timeout: 120_000 }).toHaveLength(1);
  const afterReload = (await prompts(page))[0]!;
  expect(afterReload).toContain('What should I cook tonight?');
  expect(afterReload).toContain('Something quick, please.');
  expect(afterReload).not.toContain(SECRET);
});
