// The main job's self-check: load both bindings, round-trip a document through each
// and across them, print the versions and the WASM size. Exits non-zero on failure.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { printSizes } from "./size.mjs";

const require = createRequire(import.meta.url);
const wasm = await import("@weft/wasm");
const native = require("@weft/node");

function roundTrip(name, from, to) {
  const a = new from.WeftDoc(1n);
  a.set("title", "Weft self-check");
  a.set("items", ["warp", "weft", "🧵"]);
  const bytes = a.exportSnapshot();
  const b = new to.WeftDoc(2n);
  b.import(bytes);
  assert.equal(b.get("title"), "Weft self-check");
  assert.deepEqual(b.get("items"), ["warp", "weft", "🧵"]);
  console.log(`ok  ${name.padEnd(16)} ${bytes.length} bytes`);
}

console.log(`weft core ${native.coreVersion()} (N-API), ${wasm.coreVersion()} (WebAssembly)`);
roundTrip("wasm -> wasm", wasm, wasm);
roundTrip("node -> node", native, native);
roundTrip("wasm -> node", wasm, native);
roundTrip("node -> wasm", native, wasm);
printSizes();
console.log("self-check passed");
