// Gzipped size of each library's WebAssembly module, as a page would download it.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { pkgDir } from "./pkg.mjs";

/** Every .wasm under a package (the largest first: that is the module, not a test fixture). */
function wasmFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && e.name !== "node_modules") walk(p);
      else if (e.name.endsWith(".wasm")) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort((a, b) => statSync(b).size - statSync(a).size);
}

/** `[{ lib, file, raw, gzip }]` for the libraries that ship WebAssembly. */
export function wasmSizes() {
  const rows = [];
  const add = (lib, file) => {
    if (!file || !existsSync(file)) return;
    const bytes = readFileSync(file);
    rows.push({ lib, file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  };
  const tryDir = (name) => {
    try {
      return pkgDir(name);
    } catch {
      return null;
    }
  };
  const weft = tryDir("@weft/wasm");
  if (weft) add("weft-wasm", join(weft, "pkg/web/weft_wasm_bg.wasm"));
  for (const [lib, pkg, sub] of [
    ["diamond-types", "diamond-types-node", ""],
    ["ywasm", "ywasm", ""],
    ["loro", "loro-crdt", "nodejs"],
    ["automerge", "@automerge/automerge", ""],
  ]) {
    const dir = tryDir(pkg);
    if (dir) add(lib, wasmFiles(join(dir, sub))[0]);
  }
  return rows;
}
