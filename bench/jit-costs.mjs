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
import { readFileSync } from "node:fs";
import { perfMapNames } from "./lib/perf-map.mjs";

const [cgFile, mapFile, sortBy = "I1mr", rows = "40"] = process.argv.slice(2);
if (!cgFile || !mapFile) {
  console.error("usage: node bench/jit-costs.mjs <callgrind.out> <perf-pid.map> [event] [rows]");
  process.exit(2);
}

const nameOf = perfMapNames(mapFile);

let events = [];
let positions = [];
let prev = [];
let inclusive = false;
const byAddr = new Map();
for (const line of readFileSync(cgFile, "utf8").split("\n")) {
  if (line.startsWith("events:")) {
    events = line.split(/\s+/).slice(1);
  } else if (line.startsWith("positions:")) {
    positions = line.split(/\s+/).slice(1);
    prev = positions.map(() => 0);
  } else if (line.startsWith("calls=")) {
    // The next cost line is the call's inclusive cost: its position counts,
    // its cost belongs to the callee.
    inclusive = true;
  } else if (/^[0-9+\-*]/.test(line)) {
    const parts = line.split(/\s+/);
    for (let i = 0; i < positions.length; i++) {
      const p = parts[i];
      const base = p.replace(/^[+-]/, "");
      const value = base.startsWith("0x") ? Number.parseInt(base, 16) : Number(base);
      if (p === "*") continue;
      if (p[0] === "+") prev[i] += value;
      else if (p[0] === "-") prev[i] -= value;
      else prev[i] = value;
    }
    if (inclusive) {
      inclusive = false;
      continue;
    }
    const cost = byAddr.get(prev[0]) ?? new Array(events.length).fill(0);
    for (let i = positions.length; i < parts.length && parts[i] !== ""; i++) {
      cost[i - positions.length] += Number(parts[i]);
    }
    byAddr.set(prev[0], cost);
  }
}

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
