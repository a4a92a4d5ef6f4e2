import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../sdk/test/browser/harness.js";
import { type Playground, startPlayground } from "./serve.js";

/** What the page reports per editor (see Snapshot in src/editor/editor.ts). */
interface Snapshot {
  name: string;
  online: boolean;
  shown: string;
  runs: { insert: string; attributes?: Record<string, unknown> }[];
  carets: Record<string, number>;
}

const snapshot = (page: Page) =>
  page.evaluate(() =>
    (globalThis as unknown as { playground: { snapshot(): Promise<Snapshot[]> } }).playground.snapshot(),
  );

/** Polls until every editor shows the same text and runs, then returns their snapshots. */
async function converged(page: Page): Promise<Snapshot[]> {
  let last: Snapshot[] = [];
  await expect
    .poll(
      async () => {
        last = await snapshot(page);
        return last.every(
          (s) => s.shown === last[0]?.shown && JSON.stringify(s.runs) === JSON.stringify(last[0]?.runs),
        );
      },
      { timeout: 10_000, interval: 50 },
    )
    .toBe(true);
  return last;
}

const surface = (page: Page, name: string) => page.locator(`[data-editor="${name}"] .surface`);
const onlineSwitch = (page: Page, name: string) => page.locator(`[data-editor="${name}"] .online input`);

describe("the playground, in Chromium", () => {
  let site: Playground;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    [site, browser] = await Promise.all([startPlayground(), launchChromium()]);
    page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(site.url);
    await page.waitForSelector("body[data-ready=true]");
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it("converges two editors that typed and formatted offline, marks and carets included", async () => {
    await surface(page, "Ada").click();
    await page.keyboard.type("Hello world");
    expect((await converged(page)).map((s) => s.shown)).toEqual([
      "Hello world",
      "Hello world",
      "Hello world",
    ]);

    await onlineSwitch(page, "Ada").uncheck();
    await onlineSwitch(page, "Brendan").uncheck();

    // Ada appends and makes her name bold; Brendan prefixes: both offline.
    await surface(page, "Ada").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(" from Ada");
    for (let i = 0; i < 3; i++) await page.keyboard.press("Shift+ArrowLeft");
    await page.keyboard.press("Control+B");
    await page.keyboard.press("End");

    await surface(page, "Brendan").click();
    await page.keyboard.press("Control+Home");
    await page.keyboard.type("Brendan: ");

    const apart = await snapshot(page);
    expect(apart.map((s) => s.shown)).toEqual([
      "Hello world from Ada",
      "Brendan: Hello world",
      "Hello world",
    ]);
    expect(apart[0]?.runs).toEqual([
      { insert: "Hello world from " },
      { insert: "Ada", attributes: { bold: true } },
    ]);

    await onlineSwitch(page, "Ada").check();
    await onlineSwitch(page, "Brendan").check();

    const after = await converged(page);
    const text = "Brendan: Hello world from Ada";
    expect(after.map((s) => s.shown)).toEqual([text, text, text]);
    expect(after[0]?.runs).toEqual([
      { insert: "Brendan: Hello world from " },
      { insert: "Ada", attributes: { bold: true } },
    ]);
    for (const name of ["Ada", "Brendan", "Chen"]) {
      expect(await surface(page, name).locator("strong").allTextContents()).toEqual(["Ada"]);
    }

    // Carets: each editor draws the others where their owners left them.
    await expect
      .poll(async () => (await snapshot(page)).find((s) => s.name === "Chen")?.carets, { timeout: 10_000 })
      .toEqual({ Ada: text.length, Brendan: "Brendan: ".length });
    expect(errors).toEqual([]);
  });

  it("undoes and redoes a local edit everywhere, caret placed from the outcome", async () => {
    const before = (await converged(page))[0]?.shown ?? "";
    await surface(page, "Chen").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("!!");
    expect((await converged(page))[0]?.shown).toBe(`${before}!!`);

    await page.keyboard.press("Control+Z");
    expect((await converged(page)).map((s) => s.shown)).toEqual([before, before, before]);
    // The caret is back where the undone text started: typing there continues the text.
    await page.keyboard.type("?");
    expect((await converged(page))[0]?.shown).toBe(`${before}?`);

    await page.keyboard.press("Control+Z");
    await page.keyboard.press("Control+Shift+Z");
    expect((await converged(page)).map((s) => s.shown)).toEqual([`${before}?`, `${before}?`, `${before}?`]);
    expect(errors).toEqual([]);
  });
});
