// Where an installed package lives and which version it is, found by walking up
// node_modules like Node does (not every package exports its package.json).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export function pkgDir(name) {
  let dir = dirname(new URL(import.meta.url).pathname);
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`package ${name} is not installed (npm install)`);
    dir = up;
  }
}

export function pkgVersion(name) {
  return JSON.parse(readFileSync(join(pkgDir(name), "package.json"), "utf8")).version;
}
