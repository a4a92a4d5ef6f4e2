// json-joy's JSON CRDT (pure JavaScript). One `flush` (which seals a patch) per
// trace transaction. The encoding is the model's binary snapshot (structure with
// tombstones, not the op log). json-joy has no "changes since a version" export,
// so the merge ships the patches made since the fork, length-prefixed.
import { Model, Patch } from "json-joy/lib/json-crdt/index.js";
import { pkgVersion } from "../lib/pkg.mjs";

// Session ids below 65536 are reserved by json-joy.
const sid = (replica) => 100_000 + replica;

function wrap(model) {
  return { model, text: model.api.str(["t"]), patches: [] };
}

export default {
  name: "json-joy",
  pkg: "json-joy",
  pkgVersion: () => pkgVersion("json-joy"),
  create(replica) {
    const model = Model.create(undefined, sid(replica));
    model.api.root({ t: "" });
    model.api.flush();
    return wrap(model);
  },
  applyTxns(d, txns) {
    const { model, text, patches } = d;
    for (const txn of txns) {
      for (const [pos, del, ins] of txn) {
        if (del > 0) text.del(pos, del);
        if (ins.length > 0) text.ins(pos, ins);
      }
      patches.push(model.api.flush());
    }
    return d;
  },
  text: (d) => d.text.view(),
  encode: (d) => d.model.toBinary(),
  load: (bytes, replica) => wrap(Model.fromBinary(bytes).fork(sid(replica))),
  version: (d) => d.patches.length,
  exportSince(d, since) {
    const parts = d.patches.slice(since).map((p) => p.toBinary());
    const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
    const view = new DataView(out.buffer);
    let at = 0;
    for (const p of parts) {
      view.setUint32(at, p.length);
      out.set(p, at + 4);
      at += 4 + p.length;
    }
    return out;
  },
  importUpdate(d, bytes) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at < bytes.length; ) {
      const len = view.getUint32(at);
      d.model.applyPatch(Patch.fromBinary(bytes.subarray(at + 4, at + 4 + len)));
      at += 4 + len;
    }
    return d;
  },
  free() {},
};
