#!/usr/bin/env node
// The workload of a CPU profile of one WASM build: `merge` forks, edits and
// imports n times (bench/lib/merge-ops.mjs's merge), `import` loads
// automerge-paper's snapshot n times; prints the import times. Run under
// `node --cpu-prof --cpu-prof-dir=<dir> --cpu-prof-interval 100`, then
// `node bench/profile-sum.mjs <dir>/*.cpuprofile` sums the samples under the
// binding's `import`. Function names need a build that keeps them:
// `bash bench/build-wasm-named.sh <out dir>`.
//   node bench/profile.mjs <merge|import> <n> <dir>
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { forkAndEdit } from "./lib/merge-fork.mjs";
import { mergeOps, SEEDS } from "./lib/merge-ops.mjs";
import { loadTrace } from "./lib/traces.mjs";
import { weftAdapter } from "./libs/weft.mjs";

const [what, n, dir] = process.argv.slice(2);
if (!["merge", "import"].includes(what) || !(Number(n) > 0) || !dir) {
  console.error("usage: node bench/profile.mjs <merge|import> <n> <dir>");
  process.exit(2);
}
const lib = weftAdapter(dir, "@weft/wasm", () => import(`${resolve(dir)}/node.js`));
await lib.init();
const times = [];
if (what === "merge") {
  const sides = SEEDS.map((seed) => mergeOps(seed, 10_000));
  for (let i = 0; i < Number(n); i++) {
    const { left, right, leftBase } = forkAndEdit(lib, sides);
    const update = lib.exportSince(left, leftBase);
    const t0 = performance.now();
    lib.importUpdate(right, update);
    times.push(performance.now() - t0);
    if (lib.text(right).length === 0) throw new Error("empty text after merge");
    lib.free(left);
    lib.free(right);
  }
} else {
  const trace = loadTrace("automerge-paper");
  const doc = lib.applyTxns(lib.create(1), trace.txns);
  const bytes = lib.encode(doc);
  lib.free(doc);
  for (let i = 0; i < Number(n); i++) {
    const t0 = performance.now();
    const loaded = lib.load(bytes, 9);
    times.push(performance.now() - t0);
    if (lib.text(loaded) !== trace.endContent) throw new Error("wrong text after import");
    lib.free(loaded);
  }
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`${what}: median ${sorted[sorted.length >> 1].toFixed(2)} ms, min ${sorted[0].toFixed(2)} ms`);
