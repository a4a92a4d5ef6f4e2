// Weft through either binding, against the contract in sdk/src/backend.ts: one
// `insert`/`delete` call per edit, one `commit` per trace transaction, and the
// snapshot with history as the encoding.
export function weftAdapter(name, pkg, loadBackend) {
  let backend;
  // Peers record undo only when an undo manager is attached; Weft's bindings
  // record it by default, so it is switched off here to measure like for like.
  const fresh = (replica) => {
    const doc = new backend.WeftDoc(BigInt(replica));
    doc.setUndoEnabled(false);
    return doc;
  };
  const open = (replica) => {
    const doc = fresh(replica);
    return { doc, text: doc.text("t") };
  };
  return {
    name,
    pkg,
    async init() {
      backend = await loadBackend();
    },
    pkgVersion: () => backend.coreVersion(),
    create: open,
    applyTxns(d, txns) {
      const { doc, text } = d;
      for (const patches of txns) {
        for (const [pos, del, ins] of patches) {
          if (del > 0) text.delete(pos, del);
          if (ins.length > 0) text.insert(pos, ins);
        }
        doc.commit();
      }
      return d;
    },
    text: (d) => d.text.toString(),
    encode: (d) => d.doc.exportSnapshot(),
    load(bytes, replica) {
      const doc = fresh(replica);
      doc.import(bytes);
      return { doc, text: doc.text("t") };
    },
    version: (d) => d.doc.version(),
    exportSince: (d, v) => d.doc.exportChanges(v),
    importUpdate(d, bytes) {
      d.doc.import(bytes);
      return d;
    },
    free(d) {
      d.text.free();
      d.doc.free();
    },
  };
}
