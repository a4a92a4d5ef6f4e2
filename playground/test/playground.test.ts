import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
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

const NAMES = ["Ada", "Brendan", "Chen"];

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
  let errors: string[];

  beforeAll(async () => {
    [site, browser] = await Promise.all([startPlayground(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  beforeEach(async () => {
    errors = [];
    page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(site.url);
    await page.waitForSelector("body[data-ready=true]");
    // Ada types the shared start while everyone is online.
    await surface(page, "Ada").click();
    await page.keyboard.type("Hello world");
    expect((await converged(page)).map((s) => s.shown)).toEqual(NAMES.map(() => "Hello world"));
  });

  afterEach(async () => {
    await page?.close();
    expect(errors).toEqual([]);
  });

  /** Ada appends, Brendan prefixes a line, both offline, each running `also` after typing. */
  async function typeApart(also: { ada?: () => Promise<void>; brendan?: () => Promise<void> } = {}) {
    await onlineSwitch(page, "Ada").uncheck();
    await onlineSwitch(page, "Brendan").uncheck();
    await surface(page, "Ada").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(" from Ada 🧵");
    await also.ada?.();
    await surface(page, "Brendan").click();
    await page.keyboard.press("Control+Home");
    await page.keyboard.type("Brendan:");
    await page.keyboard.press("Enter");
    await also.brendan?.();
  }

  async function reconnect() {
    await onlineSwitch(page, "Ada").check();
    await onlineSwitch(page, "Brendan").check();
    return converged(page);
  }

  it("converges text typed offline in two editors once they are back online", async () => {
    await typeApart();
    const apart = await snapshot(page);
    expect(apart.map((s) => s.shown)).toEqual([
      "Hello world from Ada 🧵",
      "Brendan:\nHello world",
      "Hello world",
    ]);

    const after = await reconnect();
    const text = "Brendan:\nHello world from Ada 🧵";
    expect(after.map((s) => s.shown)).toEqual([text, text, text]);
    expect(after.map((s) => s.runs)).toEqual(NAMES.map(() => [{ insert: text }]));
  });

  it("converges formatting applied offline, with identical marks in every editor", async () => {
    await typeApart({
      // Ada makes her name bold: back over the emoji (one key, two UTF-16 units) and the space.
      ada: async () => {
        await page.keyboard.press("ArrowLeft");
        await page.keyboard.press("ArrowLeft");
        for (let i = 0; i < 3; i++) await page.keyboard.press("Shift+ArrowLeft");
        await page.keyboard.press("Control+B");
        await page.keyboard.press("Control+End");
      },
      // Brendan italicises his label, from the toolbar.
      brendan: async () => {
        await page.keyboard.press("Control+Home");
        for (let i = 0; i < 8; i++) await page.keyboard.press("Shift+ArrowRight");
        await page.locator('[data-editor="Brendan"] .tool-italic').click();
      },
    });
    const after = await reconnect();
    const expected = [
      { insert: "Brendan:", attributes: { italic: true } },
      { insert: "\nHello world from " },
      { insert: "Ada", attributes: { bold: true } },
      { insert: " 🧵" },
    ];
    expect(after.map((s) => s.runs)).toEqual(NAMES.map(() => expected));
    for (const name of NAMES) {
      expect(await surface(page, name).locator("strong").allTextContents()).toEqual(["Ada"]);
      expect(await surface(page, name).locator("em").allTextContents()).toEqual(["Brendan:"]);
    }
  });

  it("shows each editor's caret in the others, where its owner left it", async () => {
    await typeApart();
    const text = (await reconnect())[0]?.shown ?? "";
    // Ada's caret is at the end, Brendan's after his line break; Chen never typed.
    await expect
      .poll(async () => (await snapshot(page)).find((s) => s.name === "Chen")?.carets, { timeout: 10_000 })
      .toEqual({ Ada: text.length, Brendan: "Brendan:\n".length });
    await expect
      .poll(async () => (await snapshot(page)).find((s) => s.name === "Ada")?.carets, { timeout: 10_000 })
      .toEqual({ Brendan: "Brendan:\n".length });
  });

  it("undoes and redoes typing and formatting everywhere, placing the caret from the outcome", async () => {
    await surface(page, "Chen").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("!!");
    expect((await converged(page))[0]?.shown).toBe("Hello world!!");

    await page.keyboard.press("Control+Z");
    expect((await converged(page)).map((s) => s.shown)).toEqual(NAMES.map(() => "Hello world"));
    // The caret is back where the undone text started: typing continues from there.
    await page.keyboard.type("?");
    expect((await converged(page))[0]?.shown).toBe("Hello world?");

    await page.keyboard.press("Control+Z");
    await page.keyboard.press("Control+Shift+Z");
    expect((await converged(page)).map((s) => s.shown)).toEqual(NAMES.map(() => "Hello world?"));

    // Formatting is its own step: undo takes the bold off everywhere, redo puts it back.
    await page.keyboard.press("Control+Home");
    for (let i = 0; i < 5; i++) await page.keyboard.press("Shift+ArrowRight");
    await page.keyboard.press("Control+B");
    const bold = [{ insert: "Hello", attributes: { bold: true } }, { insert: " world?" }];
    expect((await converged(page)).map((s) => s.runs)).toEqual(NAMES.map(() => bold));
    await page.keyboard.press("Control+Z");
    expect((await converged(page)).map((s) => s.runs)).toEqual(NAMES.map(() => [{ insert: "Hello world?" }]));
    await page.keyboard.press("Control+Shift+Z");
    expect((await converged(page)).map((s) => s.runs)).toEqual(NAMES.map(() => bold));
  });
});
