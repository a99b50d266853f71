import { test, expect, startTheApp } from './fixtures';
import type { Page } from '@playwright/test';

// The server renders the public pages (crates/server/src/public/) and the app takes them over
// once it has loaded (src/server_page.rs): the content shows once and does not move, the reader
// keeps their place, their focus and what they typed, and the search index waits until it is
// wanted (src/pages/home.rs).

const articleSlug = 'restore-a-backup';
const articleTitle = 'Restore a backup';
const articlePart = /\/split___article_route_view_\w+-[0-9a-f]{16}\.wasm$/;
const mainPart = /\/lantern-[0-9a-f]+_bg\.wasm$/;
const indexPath = '/api/v1/kb/index';

/** What the reader saw in one animation frame. */
interface Frame {
  serverPage: boolean;
  /** The text of every visible level-1 heading. */
  headings: string[];
  /** Where the first of them sits on the page (x, y, width, height, rounded). */
  headingBox: string | null;
  /** How many `.kb-browse` sections (the home page's categories or listing) are visible. */
  browseSections: number;
}

declare global {
  interface Window {
    /** Runs the idle callbacks held back so far; returns how many there were. */
    runIdleCallbacks(): number;
    /** Every frame since the page started, and the layout shift. */
    seenFrames(): { frames: Frame[]; layoutShift: number };
    /** The outline of the page the server rendered, as the HTML arrived. */
    serverOutline: string[];
    outline(root: Element): string[];
  }
}

function searchBox(page: Page) {
  return page.getByRole('combobox', { name: 'Search the knowledge base' });
}

/** Makes the test, not the browser, decide when the browser is idle. */
async function holdIdleCallbacks(page: Page) {
  await page.addInitScript(() => {
    const held: IdleRequestCallback[] = [];
    window.requestIdleCallback = (callback) => held.push(callback);
    window.runIdleCallbacks = () => {
      const due = held.splice(0);
      for (const callback of due) callback({ didTimeout: false, timeRemaining: () => 50 });
      return due.length;
    };
  });
}

/** Records what every animation frame shows, from the first the page paints. */
async function recordFrames(page: Page) {
  await page.addInitScript(() => {
    const frames: Frame[] = [];
    let layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        // Every shift counts: the key press that starts the app would excuse those of the
        // next 500 ms.
        layoutShift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
    const visible = (selector: string) =>
      [...document.querySelectorAll<HTMLElement>(selector)].filter((element) => element.checkVisibility());
    const record = () => {
      const headings = visible('h1');
      const box = headings[0]?.getBoundingClientRect();
      frames.push({
        serverPage: document.getElementById('server-page') !== null,
        headings: headings.map((heading) => heading.textContent ?? ''),
        headingBox: box
          ? [box.x, box.y + window.scrollY, box.width, box.height].map(Math.round).join(',')
          : null,
        browseSections: visible('.kb-browse').length,
      });
      requestAnimationFrame(record);
    };
    requestAnimationFrame(record);
    window.seenFrames = () => ({ frames, layoutShift });
  });
}

/**
 * Keeps the outline of the server's page as it arrives, to compare with the app's: every
 * element with its classes and its own text, the value a select shows, and nothing of what only
 * the app adds (the links of the article's section headings) or what nobody sees (the options
 * of a closed select). The support hours are the exception: the app writes them in the
 * viewer's time zone and language, which only the browser knows, the server in each plan's own,
 * so only their elements are compared.
 */
async function keepServerOutline(page: Page) {
  await page.addInitScript(() => {
    window.outline = (root) =>
      [...root.querySelectorAll('*')]
        .filter((element) => !element.closest('.kb-heading-link, option'))
        .map((element) => {
          const classes = [...element.classList].map((name) => `.${name}`).join('');
          const inViewersTime = element.matches(
            '.hours-note, .plan-hours h4, .window-list li, .holiday-list li',
          );
          const text = inViewersTime ? '' : [...element.childNodes]
            .filter((node) => node.nodeType === Node.TEXT_NODE)
            .map((node) => node.textContent)
            .join('')
            .replace(/\s+/g, ' ')
            .trim();
          const shown = element instanceof HTMLSelectElement ? ` [${element.value}]` : '';
          return `${element.localName}${classes}${shown} ${text}`.trimEnd();
        });
    document.addEventListener('DOMContentLoaded', () => {
      const serverPage = document.getElementById('server-page');
      window.serverOutline = serverPage ? window.outline(serverPage) : [];
    });
  });
}

/** The frames seen so far, once two more have been painted. */
async function seenFrames(page: Page) {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  return page.evaluate(() => window.seenFrames());
}

/** Holds back the files matching `url` until the returned function is called. */
async function holdBack(page: Page, url: RegExp): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(url, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Collects the requests for the search index. */
function indexRequests(page: Page): string[] {
  const requested: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === indexPath) requested.push(request.url());
  });
  return requested;
}

/**
 * Returns once every request the page started so far has been reported: requests are reported
 * in the order the page starts them, and this one starts last.
 */
async function requestsSettled(page: Page) {
  const marker = page.waitForRequest((request) => request.url().endsWith('/api/v1/health?settled'));
  await page.evaluate(() => fetch('/api/v1/health?settled'));
  await marker;
}

/** The app has replaced the server's page (which was there: its data came with it). */
async function expectTakenOver(page: Page) {
  await expect(page.locator('#lantern-page-data')).toBeAttached();
  await expect(page.locator('#server-page')).toHaveCount(0);
}

test('the app takes over an article without showing it twice or moving it', async ({ page }) => {
  await recordFrames(page);
  const releasePart = await holdBack(page, articlePart);
  await page.goto(`/kb/${articleSlug}`);
  await startTheApp(page);
  // The server's page is painted while the app waits for the page's part.
  await expect(page.locator('#server-page h1')).toHaveText(articleTitle);
  releasePart();
  await expectTakenOver(page);
  // The app's own page: it links the body's section headings, the server's page does not.
  await expect(page.locator('.kb-article-body .kb-heading-link').first()).toBeAttached();
  await expect(page.locator('h1')).toHaveCount(1);

  const { frames, layoutShift } = await seenFrames(page);
  const shown = frames.slice(frames.findIndex((frame) => frame.headings.length > 0));
  expect(shown[0].serverPage, 'the server page is painted first').toBe(true);
  expect(shown.at(-1)?.serverPage, 'and the app has replaced it').toBe(false);
  for (const frame of shown) {
    expect(frame.headings, 'the title, once, in every frame').toEqual([articleTitle]);
    expect(frame.headingBox, 'in the same place').toBe(shown[0].headingBox);
  }
  expect(layoutShift).toBeLessThanOrEqual(0.02);
});

test('a category listing shows once while the app takes it over', async ({ page }) => {
  await recordFrames(page);
  await holdIdleCallbacks(page);
  const requested = indexRequests(page);
  const releaseIndex = await holdBack(page, /\/api\/v1\/kb\/index$/);
  await page.goto('/?category=backup-and-restore');
  await startTheApp(page);
  // The server's listing is painted while the app waits for the index.
  await expect(page.locator('#server-page .kb-browse')).toBeVisible();
  releaseIndex();
  await expectTakenOver(page);
  const listing = page.getByRole('region', { name: /Backup & restore/ });
  await expect(listing.getByRole('link', { name: articleTitle })).toBeVisible();
  // A listing needs the index at once: nobody focused the search box, nor was the browser idle.
  expect(requested.length).toBeGreaterThan(0);

  const { frames, layoutShift } = await seenFrames(page);
  const shown = frames.slice(frames.findIndex((frame) => frame.browseSections > 0));
  expect(shown[0].serverPage).toBe(true);
  for (const frame of shown) {
    expect(frame.browseSections, 'one listing in every frame').toBe(1);
    expect(frame.headings).toEqual(['How can we help?']);
  }
  expect(layoutShift).toBeLessThanOrEqual(0.02);
});

test('the reader keeps their place and their focus when the app takes over', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 600 });
  const releasePart = await holdBack(page, articlePart);
  await page.goto(`/kb/${articleSlug}`);
  const related = page.locator('#server-page .kb-related a').first();
  const relatedTitle = (await related.textContent()) ?? '';
  expect(relatedTitle).not.toBe('');
  // A reader reaches a link with the keyboard: the key starts the app, the focus stays.
  await startTheApp(page);
  await related.focus();
  // Focusing scrolled the link into view; the reader scrolls back a little on their own.
  const scrolled = await page.evaluate(() => {
    window.scrollBy({ top: -50, behavior: 'instant' });
    return window.scrollY;
  });
  expect(scrolled).toBeGreaterThan(0);

  releasePart();
  await expectTakenOver(page);
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  const focused = page.locator(':focus');
  await expect(focused).toHaveText(relatedTitle);
  await expect(focused).toHaveAttribute('href', /^\/kb\//);

  // It is the app's link now: the router opens the article without loading a new document.
  await page.evaluate(() => document.documentElement.setAttribute('data-same-document', ''));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(relatedTitle);
  await expect(page.locator('html[data-same-document]')).toHaveCount(1);
});

test('the skip link works on the server page and on the app that replaces it', async ({ page }) => {
  const releasePart = await holdBack(page, articlePart);
  await page.goto(`/kb/${articleSlug}`);
  await expect(page.locator('#server-page h1')).toBeVisible();
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#server-page main#main')).toBeFocused();

  releasePart();
  await expectTakenOver(page);
  await expect(page.locator('main#main'), 'the focus moved to the app’s content').toBeFocused();

  await page.getByRole('link', { name: 'Sign in' }).focus();
  await skip.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});

test('what the reader typed into the server page’s search box stays when the app takes over', async ({ page }) => {
  const releaseApp = await holdBack(page, mainPart);
  await page.goto('/');
  const serverBox = page.locator('#server-page #kb-search');
  await serverBox.pressSequentially('restore');

  releaseApp();
  await expectTakenOver(page);
  const box = searchBox(page);
  await expect(box).toHaveValue('restore');
  await expect(box).toBeFocused();
  const results = page.getByRole('listbox', { name: 'Matching articles' });
  await expect(results.getByRole('option', { name: /Restore a backup/ })).toBeVisible();
  await expect(page).toHaveURL(/[?&]q=restore/);
});

test('an article is painted before the app is fetched, and the other pages are styled with it', async ({ page }) => {
  const releaseApp = await holdBack(page, mainPart);
  await page.goto(`/kb/${articleSlug}`);
  await expect(page.locator('#server-page h1')).toHaveText(articleTitle);
  const painted = () =>
    page.evaluate(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  await expect.poll(painted).toBe(true);
  // A few frames after the paint, the other pages' styles still wait for the app.
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 100)))),
  );
  await expect(page.locator('link[data-with-app]')).toHaveCount(4);
  await startTheApp(page);
  // As served, the article blocks its first paint on the shell's and the knowledge base's
  // styles alone, and preloads nothing of the app.
  const served = await (await page.request.get(`/kb/${articleSlug}`)).text();
  const blocking = [...served.matchAll(/<link rel="stylesheet" href="(\/[a-z]+)-/g)].map((m) => m[1]);
  expect(blocking.sort()).toEqual(['/kb', '/main']);
  expect(served).not.toMatch(/rel="(module)?preload"/);
  const active = () =>
    page.evaluate(() => [...document.styleSheets].map((sheet) => new URL(sheet.href ?? '').pathname.split('-')[0]));

  releaseApp();
  await expectTakenOver(page);
  const timing = await page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0].startTime,
    app: performance
      .getEntriesByType('resource')
      .filter((entry) => /\/lantern-[0-9a-f]+_bg\.wasm$/.test(entry.name))
      .map((entry) => entry.startTime),
  }));
  expect(timing.app).toHaveLength(1);
  expect(timing.app[0]).toBeGreaterThan(timing.paint);
  expect((await active()).sort()).toEqual(
    ['/escalation', '/kb', '/main', '/support', '/tickets', '/wizard'],
  );
  await expect(page.locator('link[data-with-app]')).toHaveCount(0);
});

test("a reader who only reads and scrolls an article downloads neither the app nor the other pages' styles; a key press fetches them", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  const fetched: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/\.(wasm|js|css)$/.test(path)) fetched.push(path.replace(/-[0-9a-f]+(?=\.css$)/, ''));
  });
  await page.goto(`/kb/${articleSlug}`);
  await expect(page.locator('#server-page h1')).toHaveText(articleTitle);
  // Reading: a press on the text and a scroll with the wheel are no use of the page.
  await page.locator('#server-page .kb-article-body p:not(:has(a))').first().click();
  await page.mouse.wheel(0, 400);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  await requestsSettled(page);
  expect(fetched.sort(), "only the loader and the article's styles").toEqual(['/boot.js', '/kb.css', '/main.css']);
  await expect(page.locator('#server-page')).toHaveCount(1);

  await startTheApp(page);
  await expectTakenOver(page);
  expect(fetched.some((path) => mainPart.test(path))).toBe(true);
  expect(fetched).toContain('/tickets.css');
});

test('the menu opened on a narrow screen while the app loads stays open when it takes over', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  const releaseApp = await holdBack(page, mainPart);
  await page.goto('/support');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByText('Menu').click();
  await expect(nav.getByRole('link', { name: 'My tickets' })).toBeInViewport();

  releaseApp();
  await expectTakenOver(page);
  await expect(nav.getByRole('link', { name: 'My tickets' })).toBeInViewport();
  // The app's menu, open: Escape closes it.
  await nav.getByText('Menu').focus();
  await page.keyboard.press('Escape');
  await expect(nav.getByRole('link', { name: 'My tickets' })).toBeHidden();
});

for (const [name, path] of [
  ['the home page', '/'],
  ['a category', '/?category=backup-and-restore'],
  ['an article', `/kb/${articleSlug}`],
  ['the support page', '/support'],
]) {
  test(`the largest paint of ${name} stays the server's when the app takes over`, async ({ page }) => {
    // A new, larger paint after the takeover would make the page count as shown only once the
    // app has loaded: the app must paint what replaces the server's content at the same size.
    await page.addInitScript(() => {
      const entries: string[] = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { element: Element | null })[]) {
          entries.push(entry.element?.closest('#server-page') ? 'server' : `app: ${entry.element?.outerHTML.slice(0, 80)}`);
        }
      }).observe({ type: 'largest-contentful-paint', buffered: true });
      (window as unknown as { largestPaints: string[] }).largestPaints = entries;
    });
    await page.goto(path);
    // The visitor points at a control, which starts the app (public/boot.js). Not a key: the
    // browser reports no largest paint after a key, a press or a scroll, so after one this test
    // could not fail (and sometimes saw no paint at all).
    await page.evaluate(() =>
      document
        .querySelector('#server-page :is(button, input, select, summary)')
        ?.dispatchEvent(new PointerEvent('pointerover', { bubbles: true })),
    );
    await expectTakenOver(page);
    // Largest paints are reported after the frame that painted them: wait for two more.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    const paints = await page.evaluate(() => (window as unknown as { largestPaints: string[] }).largestPaints);
    expect(paints.length).toBeGreaterThan(0);
    expect(paints).toEqual(paints.map(() => 'server'));
  });
}

test('an article visit makes no request for the search index until the search box is used', async ({ page }) => {
  await holdIdleCallbacks(page);
  const requested = indexRequests(page);
  await page.goto(`/kb/${articleSlug}`);
  await startTheApp(page);
  // The app's own page, not only the server's: it links the body's section headings.
  await expect(page.locator('.kb-article-body .kb-heading-link').first()).toBeAttached();
  await page.evaluate(() => window.runIdleCallbacks());
  await requestsSettled(page);
  expect(requested).toEqual([]);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge base' }).click();
  await searchBox(page).pressSequentially('restore');
  const results = page.getByRole('listbox', { name: 'Matching articles' });
  await expect(results.getByRole('option', { name: /Restore a backup/ })).toBeVisible();
  // Instant results come from the index: its request was seen.
  expect(requested.length).toBeGreaterThan(0);
});

test('the home page shows its categories without the index, and fetches it once the search box is focused', async ({ page }) => {
  await holdIdleCallbacks(page);
  const requested = indexRequests(page);
  await page.goto('/');
  await startTheApp(page);
  await expectTakenOver(page);
  await expect(page.getByRole('link', { name: /Backup & restore \d+ articles/ })).toBeVisible();
  await requestsSettled(page);
  expect(requested).toEqual([]);

  const index = page.waitForRequest((request) => new URL(request.url()).pathname === indexPath);
  await searchBox(page).focus();
  await index;
  await searchBox(page).pressSequentially('restore');
  const results = page.getByRole('listbox', { name: 'Matching articles' });
  await expect(results.getByRole('option', { name: /Restore a backup/ })).toBeVisible();
});

test('the home page fetches the index by itself once the browser is idle', async ({ page }) => {
  await holdIdleCallbacks(page);
  const requested = indexRequests(page);
  await page.goto('/');
  await startTheApp(page);
  await expectTakenOver(page);
  await requestsSettled(page);
  expect(requested).toEqual([]);

  const index = page.waitForRequest((request) => new URL(request.url()).pathname === indexPath);
  expect(await page.evaluate(() => window.runIdleCallbacks())).toBeGreaterThan(0);
  await index;
  // The categories stay as they were: the index adds the products to choose from.
  await expect(page.getByLabel('Product').locator('option')).not.toHaveCount(1);
  await expect(page.getByRole('link', { name: /Backup & restore \d+ articles/ })).toBeVisible();
});

for (const address of ['/', '/?category=backup-and-restore', `/kb/${articleSlug}`, '/support']) {
  test(`the app renders ${address} element for element as the server did`, async ({ page }) => {
    await keepServerOutline(page);
    await page.goto(address);
    await startTheApp(page);
    await expectTakenOver(page);
    const serverOutline = await page.evaluate(() => window.serverOutline);
    expect(serverOutline.length).toBeGreaterThan(20);
    const appOutline = await page.evaluate(() => {
      const app = document.querySelector('main')?.parentElement;
      // The app's loading bar is its own: the server's page has none.
      return app ? window.outline(app).filter((line) => !line.startsWith('div.page-loading-bar')) : [];
    });
    expect(appOutline).toEqual(serverOutline);
  });
}
