#!/usr/bin/env node
// Where a per-edit call's time goes: for each WASM/N-API library, the cost of a call
// that does almost nothing (the text's length) beside a one-character insert in the
// middle of a 10,000-character text, and an insert of the same character without
// the string argument where the API allows none (not here: every insert takes a
// string). Each library in its own child process. Prints ns per call.
//   node bench/boundary.mjs
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const N = 200_000;
const probes = {
  "weft-wasm": `const { WeftDoc } = await import("@weft/wasm"); const d = new WeftDoc(1n); const t = d.text("t");
    return { len: () => t.length, ins: (i) => t.insert(i, "a"), seed: (s) => { t.insert(0, s); d.commit(); } };`,
  "weft-node": `const { WeftDoc } = require("@weft/node"); const d = new WeftDoc(1n); const t = d.text("t");
    return { len: () => t.length, ins: (i) => t.insert(i, "a"), seed: (s) => { t.insert(0, s); d.commit(); } };`,
  "diamond-types": `const { Doc } = require("diamond-types-node"); const d = new Doc("a");
    return { len: () => d.len(), ins: (i) => d.ins(i, "a"), seed: (s) => d.ins(0, s) };`,
  loro: `const { LoroDoc } = require("loro-crdt"); const d = new LoroDoc(); const t = d.getText("t");
    return { len: () => t.length, ins: (i) => t.insert(i, "a"), seed: (s) => { t.insert(0, s); d.commit(); } };`,
  ywasm: `const { YDoc } = require("ywasm"); const d = new YDoc({}); const t = d.getText("t");
    return { len: () => t.length(undefined), ins: (i) => t.insert(i, "a", undefined, undefined), seed: (s) => t.insert(0, s, undefined, undefined) };`,
};

if (process.argv[2] === "--child") {
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  const make = new Function("require", `return (async () => { ${probes[process.argv[3]]} })();`);
  const lib = await make(require);
  lib.seed("x".repeat(10_000));
  const per = (fn) => {
    for (let i = 0; i < 20_000; i++) fn(i); // warm up the JIT and the module
    const t0 = performance.now();
    for (let i = 0; i < N; i++) fn(i);
    return ((performance.now() - t0) * 1e6) / N;
  };
  const len = per(() => lib.len());
  const ins = per((i) => lib.ins(5_000 + (i % 1000)));
  process.stdout.write(JSON.stringify({ len, ins }));
} else {
  console.log("| library | length call ns | 1-char insert ns |\n| --- | --- | --- |");
  for (const name of Object.keys(probes)) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", name], {
      encoding: "utf8",
    });
    if (r.status !== 0) {
      console.log(
        `| ${name} | failed: ${r.stderr
          .trim()
          .split("\n")
          .find((l) => /Error/.test(l))} | |`,
      );
      continue;
    }
    const { len, ins } = JSON.parse(r.stdout);
    console.log(`| ${name} | ${len.toFixed(0)} | ${ins.toFixed(0)} |`);
  }
}
