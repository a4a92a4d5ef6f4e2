#!/usr/bin/env node
// Sums a .cpuprofile's samples under the frames named <root> (default the
// binding's `import`): each function's own time and its time with callees, with
// shares of the total under <root>.
//   node bench/profile-sum.mjs <file.cpuprofile> [root] [rows]
import { readFileSync } from "node:fs";

const [file, root = "import", rows = "40"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/profile-sum.mjs <file.cpuprofile> [root] [rows]");
  process.exit(2);
}
const p = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const sampled = new Map();
for (const [i, id] of p.samples.entries()) sampled.set(id, (sampled.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
const self = new Map();
const withCallees = new Map();
let total = 0;
for (const [id, us] of sampled) {
  const chain = [];
  let under = false;
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const name = byId.get(x).callFrame.functionName || "(anonymous)";
    chain.push(name);
    if (name === root) {
      under = true;
      break;
    }
  }
  if (!under) continue;
  total += us;
  self.set(chain[0], (self.get(chain[0]) ?? 0) + us);
  for (const name of new Set(chain)) withCallees.set(name, (withCallees.get(name) ?? 0) + us);
}
const print = (title, m) => {
  console.log(title);
  for (const [name, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
    console.log(
      `${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`,
    );
  }
};
console.log(`under ${root}: ${(total / 1000).toFixed(1)} ms`);
print("own time", self);
print("with callees", withCallees);
