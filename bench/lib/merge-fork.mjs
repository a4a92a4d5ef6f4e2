// The concurrent-merge setup shared by the benchmark child and the A/B tool: a
// document holding an empty text, created by replica 1, encoded and loaded by
// replicas 2 and 3, each of which then makes its side's edits.

/** Returns both replicas after their edits, with their versions at the fork. */
export function forkAndEdit(lib, sides) {
  const base = lib.create(1);
  const bytes = lib.encode(base);
  lib.free(base);
  let left = lib.load(bytes, 2);
  let right = lib.load(bytes, 3);
  const leftBase = lib.version(left);
  const rightBase = lib.version(right);
  left = lib.applyTxns(left, sides[0].txns);
  right = lib.applyTxns(right, sides[1].txns);
  return { left, right, leftBase, rightBase };
}
