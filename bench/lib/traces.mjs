// Reads the editing traces (see shared/data/README.md) in place: gzipped JSON whose
// patch positions count code points. Every library here indexes JavaScript strings
// in UTF-16 units (diamond-types converts internally), so a trace with astral
// characters would need its positions translated; none has any today, and loading
// refuses such a trace rather than let the libraries silently disagree.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";

export function tracesDir() {
  const root = resolve(new URL("../..", import.meta.url).pathname);
  return resolve(process.env.WEFT_TRACES_DIR ?? join(root, "../shared/data/traces"));
}

/** Names of the traces present, smallest file first. */
export function listTraces(dir = tracesDir()) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json.gz"))
    .map((f) => ({ name: f.replace(/\.json\.gz$/, ""), bytes: readFileSync(join(dir, f)).length }))
    .sort((a, b) => a.bytes - b.bytes)
    .map((t) => t.name);
}

/**
 * Loads one trace as `{ name, txns, endContent, edits }` where `txns` is an array of
 * transactions, each an array of `[pos, delCount, insText]`, and `edits` counts the
 * calls a replay makes (a patch with both a deletion and an insertion is two calls).
 */
export function loadTrace(name, dir = tracesDir()) {
  const raw = JSON.parse(gunzipSync(readFileSync(join(dir, `${name}.json.gz`))).toString("utf8"));
  if (raw.startContent !== "") throw new Error(`${name}: traces with a start content are not supported`);
  let edits = 0;
  for (const txn of raw.txns) {
    for (const [, del, ins] of txn.patches) {
      if (/[\u{10000}-\u{10FFFF}]/u.test(ins)) {
        throw new Error(`${name}: astral characters; positions would need UTF-16 translation`);
      }
      if (del > 0) edits++;
      if (ins.length > 0) edits++;
    }
  }
  return { name, txns: raw.txns.map((t) => t.patches), endContent: raw.endContent, edits };
}
