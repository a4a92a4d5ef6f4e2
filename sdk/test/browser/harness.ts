/**
 * Serves bundled test pages on 127.0.0.1 and drives them in Debian's headless
 * Chromium through playwright-core (no browser download: see TOOLCHAIN.md).
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const types: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
};

export const CHROMIUM = process.env.WEFT_CHROMIUM ?? "/usr/bin/chromium";

export interface Site {
  url: string;
  close(): Promise<void>;
}

/** Bundles `entries` (paths relative to the repo root) and serves them with the WASM core. */
export async function serveBundle(entries: Record<string, string>): Promise<Site> {
  const dir = await mkdtemp(join(tmpdir(), "weft-browser-"));
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, join(root, v)])),
    bundle: true,
    format: "esm",
    target: "es2022",
    outdir: dir,
    logLevel: "error",
  });
  await copyFile(join(root, "bindings-wasm/pkg/web/weft_wasm_bg.wasm"), join(dir, "weft_wasm_bg.wasm"));
  const scripts = Object.keys(entries)
    .filter((k) => k !== "worker")
    .map((k) => `<script type="module" src="./${k}.js"></script>`)
    .join("\n");
  await writeFile(
    join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>weft</title><link rel="icon" href="data:,">\n${scripts}\n`,
  );

  const server: Server = createServer(async (req, res) => {
    const path = normalize(new URL(req.url ?? "/", "http://x").pathname).replace(/^\/+/, "") || "index.html";
    try {
      const body = await readFile(join(dir, path));
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with the flags this machine needs. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
