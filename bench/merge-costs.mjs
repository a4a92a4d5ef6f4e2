#!/usr/bin/env node
// One WebAssembly merge import's instructions per module function, and its
// `memory.copy` host calls by calling function: the difference between a
// `merge` and a `fork` run of bench/count.mjs under callgrind, divided by
// their count. Both runs are made with `--dump-instr=yes` and
// `node --perf-basic-prof` (whose /tmp/perf-<pid>.map names V8's code ranges;
// callgrind's pid is node's), from a build that keeps names
// (`bash bench/build-wasm-named.sh <dir>`):
//   valgrind --tool=callgrind --dump-instr=yes --smc-check=all-non-file \
//     --callgrind-out-file=/tmp/m.cg node --perf-basic-prof --single-threaded \
//     --no-liftoff bench/count.mjs merge 9 <dir>        (and `fork 9` into /tmp/f.cg)
//   node bench/merge-costs.mjs /tmp/m.cg <m.map> /tmp/f.cg <f.map> 9 [rows]
// With a second pair after the first (`... 9 /tmp/m2.cg <map> /tmp/f2.cg <map>`)
// it prints, per function, the second build's import less the first's.
// "Module" sums the module's functions (`…-<n>-turbofan`, not JavaScript or
// V8's builtins); "(native)" is code outside the map (V8's C++ runtime, libc),
// including a share of the first import's compilation, so it moves by about
// ±0.5 M between builds for that reason alone. `memory.copy` calls are the
// calls into V8's `memory_copy_wrapper`, by the module function that holds
// the call (callgrind names JIT code by address, not by function).
import { readCallgrind } from "./lib/callgrind.mjs";
import { perfMapNames } from "./lib/perf-map.mjs";

const args = process.argv.slice(2);
if (args.length < 5) {
  console.error(
    "usage: node bench/merge-costs.mjs <merge.cg> <merge.map> <fork.cg> <fork.map> <n> [rows] [<merge2.cg> <merge2.map> <fork2.cg> <fork2.map>]",
  );
  process.exit(2);
}

/** Self instructions by code range name, and `memory.copy` calls by caller. */
function costs(cgFile, mapFile) {
  const mapName = perfMapNames(mapFile);
  // The function's index (`-<n>-`) differs between builds: left out.
  const nameOf = (addr) =>
    mapName(addr)
      .replace(/\[[0-9a-f]+\]/g, "")
      .replace(/-\d+-turbofan$/, "-turbofan");
  const self = new Map();
  const copyCalls = new Map();
  readCallgrind(cgFile, {
    onSelf(addr, costs) {
      self.set(addr, (self.get(addr) ?? 0) + (costs[0] ?? 0));
    },
    onCall(addr, callee, calls) {
      if (calls && callee.includes("memory_copy_wrapper")) {
        copyCalls.set(addr, (copyCalls.get(addr) ?? 0) + calls);
      }
    },
  });
  const byName = (m) => {
    const out = new Map();
    for (const [addr, c] of m) out.set(nameOf(addr), (out.get(nameOf(addr)) ?? 0) + c);
    return out;
  };
  return { self: byName(self), copies: byName(copyCalls) };
}

/** Per name, (merge − fork) / n. */
function perImport(m, f, n) {
  const out = new Map();
  for (const k of new Set([...m.keys(), ...f.keys()])) {
    out.set(k, ((m.get(k) ?? 0) - (f.get(k) ?? 0)) / n);
  }
  return out;
}

const isModule = (name) => name.endsWith("-turbofan") && !/^JS:[\^~*]|wasm-to-js|js-to-wasm/.test(name);
const mega = (v) => `${(v / 1e6).toFixed(3).padStart(8)} M`;
const sum = (m, keep) => [...m].filter(([k]) => keep(k)).reduce((s, [, v]) => s + v, 0);

const n = Number(args[4]);
const rows = Number(args[5] ?? 40);
const [m1, f1] = [costs(args[0], args[1]), costs(args[2], args[3])];
const self1 = perImport(m1.self, f1.self, n);
const copies1 = perImport(m1.copies, f1.copies, n);
console.log(
  `module ${mega(sum(self1, isModule))}, (native) ${mega(self1.get("(native)") ?? 0)}, ` +
    `memory.copy calls ${Math.round(sum(copies1, () => true))} per import`,
);
if (args.length >= 10) {
  const [m2, f2] = [costs(args[6], args[7]), costs(args[8], args[9])];
  const self2 = perImport(m2.self, f2.self, n);
  const copies2 = perImport(m2.copies, f2.copies, n);
  console.log(
    `second: module ${mega(sum(self2, isModule))}, (native) ${mega(self2.get("(native)") ?? 0)}, ` +
      `memory.copy calls ${Math.round(sum(copies2, () => true))} per import`,
  );
  const delta = [...new Set([...self1.keys(), ...self2.keys()])]
    .map((k) => [k, (self2.get(k) ?? 0) - (self1.get(k) ?? 0), self1.get(k) ?? 0, self2.get(k) ?? 0])
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  for (const [k, d, a, b] of delta.slice(0, rows)) {
    if (Math.abs(d) < 1000) break;
    console.log(`${mega(d)}  ${(a / 1e6).toFixed(3)} -> ${(b / 1e6).toFixed(3)}  ${k}`);
  }
} else {
  console.log("memory.copy calls by caller:");
  for (const [k, v] of [...copies1]
    .sort((a, b) => b[1] - a[1])
    .filter(([, v]) => v >= 1)
    .slice(0, 15)) {
    console.log(`  ${String(Math.round(v)).padStart(8)}  ${k}`);
  }
  for (const [k, v] of [...self1].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${mega(v)}  ${k}`);
}
