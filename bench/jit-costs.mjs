#!/usr/bin/env node
// Sums a callgrind profile's costs by V8's JIT code ranges: which WASM function
// (or JS function, or builtin) executed the instructions and missed the caches.
// Callgrind sees V8's code as anonymous addresses; `node --perf-basic-prof`
// writes their names to /tmp/perf-<pid>.map. Use a build that keeps names
// (`bash bench/build-wasm-named.sh <dir>`):
//   valgrind --tool=callgrind --cache-sim=yes --dump-instr=yes \
//     --callgrind-out-file=/tmp/x.cg --smc-check=all-non-file \
//     node --perf-basic-prof --single-threaded --no-liftoff bench/count.mjs <trace> 2 <dir>
//   node bench/jit-costs.mjs /tmp/x.cg /tmp/perf-<pid>.map [event] [rows]
// Rows are sorted by `event` (default I1mr, the L1 instruction misses); code
// outside the map (Node, V8's C++, libc) is summed as "(native)". The whole
// process is counted, startup included.
import { readCallgrind } from "./lib/callgrind.mjs";
import { perfMapNames } from "./lib/perf-map.mjs";

const [cgFile, mapFile, sortBy = "I1mr", rows = "40"] = process.argv.slice(2);
if (!cgFile || !mapFile) {
  console.error("usage: node bench/jit-costs.mjs <callgrind.out> <perf-pid.map> [event] [rows]");
  process.exit(2);
}

const nameOf = perfMapNames(mapFile);

const byAddr = new Map();
const events = readCallgrind(cgFile, {
  onSelf(addr, costs) {
    const cost = byAddr.get(addr) ?? [];
    for (let i = 0; i < costs.length; i++) cost[i] = (cost[i] ?? 0) + costs[i];
    byAddr.set(addr, cost);
  },
});

const byName = new Map();
for (const [addr, cost] of byAddr) {
  const name = nameOf(addr).replace(/\[[0-9a-f]+\]/g, "");
  const sum = byName.get(name) ?? new Array(events.length).fill(0);
  for (let i = 0; i < cost.length; i++) sum[i] += cost[i];
  byName.set(name, sum);
}
const k = events.indexOf(sortBy);
const ir = events.indexOf("Ir");
if (k < 0) {
  console.error(`no event ${sortBy} in ${events.join(" ")}`);
  process.exit(2);
}
const total = [...byName.values()].reduce((s, c) => s + c[k], 0);
console.log(`${sortBy} in all: ${(total / 1e6).toFixed(2)} M`);
for (const [name, cost] of [...byName].sort((a, b) => b[1][k] - a[1][k]).slice(0, Number(rows))) {
  console.log(
    `${(cost[k] / 1e6).toFixed(3).padStart(9)} M ${sortBy} ${(cost[ir] / 1e6).toFixed(2).padStart(9)} M Ir  ${name.slice(0, 110)}`,
  );
}
