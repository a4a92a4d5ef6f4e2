#!/usr/bin/env node
// Compares builds of the WASM binding on a loaded machine: in one process, replays
// a trace (or does the concurrent merge) with diamond-types and with each build in
// turn, round after round, and prints medians and ratios to diamond-types. Load
// slows every contender in the same minutes alike, so the ratios hold where the
// milliseconds do not. A build is a directory laid out like bindings-wasm/ (its
// node.js, install.js and pkg/node). `import` loads automerge-paper's snapshot
// (each library's own, made once before the rounds) and compares with Loro;
// `import-read` times the load and the first read of the text together, so that
// a library decoding lazily (Loro) pays for what the read needs.
//   node bench/ab.mjs <trace|merge|import|import-read> <rounds> <dir>...
//   e.g. node bench/ab.mjs automerge-paper 9 /tmp/main-wasm ./bindings-wasm
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { forkAndEdit } from "./lib/merge-fork.mjs";
import { mergeOps, SEEDS } from "./lib/merge-ops.mjs";
import { loadTrace } from "./lib/traces.mjs";
import { loadLib } from "./libs/index.mjs";
import { weftAdapter } from "./libs/weft.mjs";

const [what, rounds, ...dirs] = process.argv.slice(2);
if (!what || !(Number(rounds) > 0) || dirs.length === 0) {
  console.error("usage: node bench/ab.mjs <trace|merge|import|import-read> <rounds> <dir>...");
  process.exit(2);
}
const read = what === "import-read";
const load = what === "import" || read;
const peer = load ? "loro" : "diamond-types";
const libs = [await loadLib(peer)];
for (const dir of dirs) {
  const lib = weftAdapter(dir, "@weft/wasm", () => import(`${resolve(dir)}/node.js`));
  await lib.init();
  libs.push(lib);
}

const merge = what === "merge";
const trace = merge ? null : loadTrace(load ? "automerge-paper" : what);
/** Each library's snapshot of the whole trace, for `import`. */
const snapshots = libs.map((lib) => {
  if (!load) return null;
  const doc = lib.applyTxns(lib.create(1), trace.txns);
  const bytes = lib.encode(doc);
  lib.free(doc);
  return bytes;
});
const sides = merge ? SEEDS.map((seed) => mergeOps(seed, 10_000)) : null;

/** One replay (or one merge's import), in ms; the result is checked. */
function once(lib, i) {
  if (load) {
    const t0 = performance.now();
    const doc = lib.load(snapshots[i], 9);
    const text = read ? lib.text(doc) : "";
    const ms = performance.now() - t0;
    if ((read ? text : lib.text(doc)) !== trace.endContent) {
      throw new Error(`${lib.name}: wrong text after import`);
    }
    lib.free(doc);
    return ms;
  }
  if (!merge) {
    const t0 = performance.now();
    const doc = lib.applyTxns(lib.create(1), trace.txns);
    const ms = performance.now() - t0;
    if (lib.text(doc) !== trace.endContent) throw new Error(`${lib.name}: wrong text after replay`);
    lib.free(doc);
    return ms;
  }
  const { left, right: forked, leftBase } = forkAndEdit(lib, sides);
  let right = forked;
  const update = lib.exportSince(left, leftBase);
  const t0 = performance.now();
  right = lib.importUpdate(right, update);
  const ms = performance.now() - t0;
  if (lib.text(right).length === 0) throw new Error(`${lib.name}: empty text after merge`);
  lib.free(left);
  lib.free(right);
  return ms;
}

const times = libs.map(() => []);
for (let r = 0; r < Number(rounds); r++) {
  for (const [i, lib] of libs.entries()) times[i].push(once(lib, i));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const dt = median(times[0]);
console.log(`| ${what} | median ms | min ms | × ${peer} |\n| --- | --- | --- | --- |`);
for (const [i, lib] of libs.entries()) {
  const ms = median(times[i]);
  console.log(
    `| ${lib.name} | ${ms.toFixed(1)} | ${Math.min(...times[i]).toFixed(1)} | ${(ms / dt).toFixed(2)}× |`,
  );
}
