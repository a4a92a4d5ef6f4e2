// V8's `--perf-basic-prof` map (/tmp/perf-<pid>.map: "<start hex> <size hex>
// <name>" per code range) as a lookup from an address to the name of the JIT
// code holding it, for the scripts that sum callgrind's costs by function.
import { readFileSync } from "node:fs";

/** Returns `nameOf(addr)`: the code range's name, or "(native)" outside the map. */
export function perfMapNames(mapFile) {
  const ranges = readFileSync(mapFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [start, size, ...name] = line.split(" ");
      const s = Number.parseInt(start, 16);
      return { start: s, end: s + Number.parseInt(size, 16), name: name.join(" ") };
    })
    .sort((a, b) => a.start - b.start);
  return (addr) => {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid].start <= addr) lo = mid + 1;
      else hi = mid - 1;
    }
    const r = ranges[hi];
    return r && addr < r.end ? r.name : "(native)";
  };
}
