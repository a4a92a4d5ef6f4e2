// Bundles the playground (page and worker) with esbuild into a directory the static
// server serves, next to the WASM core. Usage: node build.mjs [outdir]
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const require = (await import("node:module")).createRequire(import.meta.url);

/** Builds the playground into `outdir` and returns it. */
export async function buildPlayground(outdir = join(here, "dist")) {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { main: join(here, "src/main.ts"), worker: join(here, "src/worker/main.ts") },
    bundle: true,
    format: "esm",
    target: "es2022",
    sourcemap: true,
    outdir,
    logLevel: "error",
  });
  const wasm = require.resolve("@weft/wasm/wasm");
  await Promise.all([
    copyFile(wasm, join(outdir, "weft_wasm_bg.wasm")),
    copyFile(join(here, "src/index.html"), join(outdir, "index.html")),
    copyFile(join(here, "src/style.css"), join(outdir, "style.css")),
  ]);
  return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = await buildPlayground(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`playground: built ${outdir}`);
}
