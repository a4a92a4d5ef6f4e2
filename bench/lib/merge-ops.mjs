// The concurrent-merge workload, the same for every library: from a common document
// holding an empty text, each of two replicas makes `count` single-character edits
// at uniformly random positions (70% inserts of a letter, 30% deletions), drawn
// from a fixed-seed PRNG, grouped into transactions of 100 edits (one commit each,
// as the core's own merge benchmark does). Positions depend only on the text's
// length, which evolves identically in every library, so the ops are generated once
// here and the expected text of each replica before the merge is known exactly.

export const OPS_PER_TXN = 100;
export const SEEDS = [0x9e3779b9, 0x85ebca6b];

/** mulberry32: tiny, fast, and the same sequence on every engine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `{ txns, expected }`: transactions of `[pos, del, ins]` and the text they leave. */
export function mergeOps(seed, count) {
  const rand = prng(seed);
  const txns = [];
  let txn = [];
  let text = "";
  for (let i = 0; i < count; i++) {
    const len = text.length;
    if (len === 0 || rand() < 0.7) {
      const pos = Math.floor(rand() * (len + 1));
      const ch = String.fromCharCode(97 + Math.floor(rand() * 26));
      txn.push([pos, 0, ch]);
      text = text.slice(0, pos) + ch + text.slice(pos);
    } else {
      const pos = Math.floor(rand() * len);
      txn.push([pos, 1, ""]);
      text = text.slice(0, pos) + text.slice(pos + 1);
    }
    if (txn.length === OPS_PER_TXN) {
      txns.push(txn);
      txn = [];
    }
  }
  if (txn.length > 0) txns.push(txn);
  return { txns, expected: text };
}
