import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type Site, serveBundle } from "./harness.js";

describe("WASM core in a Web Worker, in Chromium", () => {
  let site: Site;
  let browser: Browser;

  beforeAll(async () => {
    site = await serveBundle({ page: "sdk/test/browser/page.ts", worker: "sdk/test/browser/worker.ts" });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it("round-trips a document between the page and the worker-hosted core", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(site.url);
    await page.waitForFunction(() => "roundTrip" in globalThis);
    const result = await page.evaluate(() =>
      (globalThis as unknown as { roundTrip: () => Promise<Record<string, unknown>> }).roundTrip(),
    );
    expect(errors).toEqual([]);
    expect(result.seenInWorker).toBe("from the page");
    expect(result.title).toBe("from the page");
    expect(result.items).toEqual(["milk", "🧵"]);
    expect(result.status).toBe("edited in the worker");
    expect(result.keys).toEqual(["items", "status", "title"]);
    expect(result.workerVersion).toBe(result.pageVersion);
  });
});
