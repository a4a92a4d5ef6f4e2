// A callgrind output file read cost line by cost line, for the scripts that
// sum its costs by V8 code range (jit-costs.mjs, merge-costs.mjs). Positions
// are instruction addresses (`--dump-instr=yes`), written relative to the
// previous line's ("+4", "-0x10", "*" for the same); function names are
// compressed ("(12) name" once, "(12)" after), one table for `fn=` and `cfn=`.
import { readFileSync } from "node:fs";

/**
 * Reads `cgFile`, calling `onSelf(addr, costs)` for each line of a function's
 * own costs (`costs` in the order of the returned `events`) and
 * `onCall(addr, callee, calls)` for each call (its call site, the callee's
 * name and how many times it was called; the callee's inclusive cost that
 * follows is not the caller's own, so it goes to neither). Returns the
 * file's event names.
 */
export function readCallgrind(cgFile, { onSelf = () => {}, onCall = () => {} }) {
  const names = new Map();
  const named = (s) => {
    const m = s.match(/^\((\d+)\)(?: (.*))?$/);
    if (!m) return s;
    if (m[2] !== undefined) names.set(m[1], m[2]);
    return names.get(m[1]) ?? s;
  };
  let events = [];
  let positions = [];
  let prev = [];
  let callee = "";
  let calls = -1;
  for (const line of readFileSync(cgFile, "utf8").split("\n")) {
    if (line.startsWith("events:")) {
      events = line.split(/\s+/).slice(1);
    } else if (line.startsWith("positions:")) {
      positions = line.split(/\s+/).slice(1);
      prev = positions.map(() => 0);
    } else if (line.startsWith("cfn=")) {
      callee = named(line.slice(4));
    } else if (line.startsWith("fn=")) {
      named(line.slice(3));
    } else if (line.startsWith("calls=")) {
      calls = Number(line.slice(6).split(/\s+/)[0]);
    } else if (/^[0-9+\-*]/.test(line)) {
      const parts = line.split(/\s+/);
      for (let i = 0; i < positions.length; i++) {
        const p = parts[i];
        if (p === "*") continue;
        const base = p.replace(/^[+-]/, "");
        const value = base.startsWith("0x") ? Number.parseInt(base, 16) : Number(base);
        if (p[0] === "+") prev[i] += value;
        else if (p[0] === "-") prev[i] -= value;
        else prev[i] = value;
      }
      if (calls >= 0) {
        onCall(prev[0], callee, calls);
        calls = -1;
        continue;
      }
      const costs = [];
      for (let i = positions.length; i < parts.length && parts[i] !== ""; i++) {
        costs.push(Number(parts[i]));
      }
      onSelf(prev[0], costs);
    }
  }
  return events;
}
