/**
 * One conformance suite for every binding: the same calls, the same results, the
 * same errors. The binding under test is injected by the *.test.ts files.
 */
import { describe, expect, it } from "vitest";
import { errorCode, type WeftBackend, type WeftValue } from "../src/index.js";

const sample: Record<string, WeftValue> = {
  title: "Groceries",
  count: -3,
  ratio: 0.5,
  big: 2n ** 62n,
  flags: [true, false, null],
  nested: { a: { b: ["x", 1.25] } },
  raw: new Uint8Array([0, 255, 7]),
  emoji: "naïve 🧵 weft",
};

/** Runs `f` and returns the `code` of what it threw (fails if it did not throw). */
function thrownCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return errorCode(err);
  }
  throw new Error("expected a throw");
}

// The binding under test is checked against the contract at compile time
// (bindings-satisfy-backend.ts); here it is used through the contract.
export function conformance(name: string, load: () => Promise<unknown>): void {
  describe(`core conformance: ${name}`, () => {
    let core: WeftBackend;

    it("loads and reports the core version", async () => {
      core = (await load()) as WeftBackend;
      expect(core.coreVersion()).toMatch(/^\d+\.\d+\.\d+/);
    });

    it("keeps the replica id as a 64-bit bigint", () => {
      const id = 0xfedc_ba98_7654_3210n;
      expect(new core.WeftDoc(id).replica).toBe(id);
    });

    it("sets and gets every kind of value", () => {
      const doc = new core.WeftDoc(1n);
      for (const [k, v] of Object.entries(sample)) doc.set(k, v);
      for (const [k, v] of Object.entries(sample)) expect(doc.get(k), k).toEqual(v);
      expect(doc.get("missing")).toBeUndefined();
      expect(doc.keys().sort()).toEqual(Object.keys(sample).sort());
    });

    it("round-trips a document through bytes into another replica", () => {
      const a = new core.WeftDoc(1n);
      for (const [k, v] of Object.entries(sample)) a.set(k, v);
      const b = new core.WeftDoc(2n);
      b.import(a.exportSnapshot());
      for (const [k, v] of Object.entries(sample)) expect(b.get(k), k).toEqual(v);
    });

    it("lets the later write win after replicas exchange state", () => {
      const a = new core.WeftDoc(1n);
      a.set("title", "first");
      const b = new core.WeftDoc(2n);
      b.import(a.exportSnapshot());
      b.set("title", "second");
      a.import(b.exportSnapshot());
      expect(a.get("title")).toBe("second");
      expect(b.get("title")).toBe("second");
    });

    it("refuses truncated and corrupt bytes with WEFT_DECODE and changes nothing", () => {
      const a = new core.WeftDoc(1n);
      for (const [k, v] of Object.entries(sample)) a.set(k, v);
      const bytes = a.exportSnapshot();
      const target = new core.WeftDoc(3n);
      target.set("keep", 1);
      const before = target.exportSnapshot();
      const bad = [
        new Uint8Array(0),
        bytes.subarray(0, bytes.length - 1),
        bytes.subarray(0, 7),
        Uint8Array.from(bytes, (b, i) => (i === 0 ? b ^ 0xff : b)),
        Uint8Array.from([...bytes, 0]),
      ];
      for (const input of bad) {
        let thrown: unknown;
        try {
          target.import(input);
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toBeInstanceOf(Error);
        expect(errorCode(thrown)).toBe("WEFT_DECODE");
        expect(target.exportSnapshot()).toEqual(before);
      }
    });

    it("refuses values it cannot store with WEFT_INVALID_VALUE", () => {
      const doc = new core.WeftDoc(1n);
      for (const v of [() => 1, undefined, Symbol("s"), 2n ** 64n]) {
        let thrown: unknown;
        try {
          doc.set("f", v as WeftValue);
        } catch (err) {
          thrown = err;
        }
        expect(errorCode(thrown), String(v)).toBe("WEFT_INVALID_VALUE");
      }
      expect(doc.keys()).toEqual([]);
    });

    it("edits text in UTF-16 code units, astral characters included", () => {
      const doc = new core.WeftDoc(1n);
      const text = doc.text("notes");
      expect(text.kind).toBe("text");
      expect(text.id).toBe("text:notes");
      text.insert(0, "naïve 🧵 weft");
      expect(text.length).toBe("naïve 🧵 weft".length);
      // After the emoji (two UTF-16 units), not inside it.
      text.insert(8, "!");
      expect(text.toString()).toBe("naïve 🧵! weft");
      text.delete(6, 2);
      expect(text.toString()).toBe("naïve ! weft");
      expect(text.length).toBe(12);
      expect(doc.text("notes").toString()).toBe("naïve ! weft");
      expect(doc.get("notes")).toEqual({ container: "text:notes", kind: "text" });
      expect(doc.toJSON()).toEqual({ notes: "naïve ! weft" });
    });

    it("refuses out-of-range and malformed indices with WEFT_INDEX and changes nothing", () => {
      const doc = new core.WeftDoc(1n);
      const text = doc.text("t");
      text.insert(0, "a🧵b");
      const before = doc.exportSnapshot();
      const bad: Array<() => void> = [
        () => text.insert(5, "x"),
        () => text.insert(-1, "x"),
        () => text.insert(1.5, "x"),
        () => text.insert(Number.NaN, "x"),
        () => text.delete(0, 5),
        () => text.delete(4, 1),
        () => text.delete(-1, 1),
        () => text.delete(0, Number.POSITIVE_INFINITY),
        () => text.insert("1" as unknown as number, "x"),
        () => text.insert(1n as unknown as number, "x"),
      ];
      for (const f of bad) {
        expect(thrownCode(f), String(f)).toBe("WEFT_INDEX");
        expect(doc.exportSnapshot()).toEqual(before);
      }
      expect(thrownCode(() => text.insert(0, 5 as unknown as string))).toBe("WEFT_INVALID_VALUE");
      expect(text.toString()).toBe("a🧵b");
      // An offset inside a surrogate pair rounds down to the pair's start, so a
      // character is never split.
      text.insert(2, "x");
      expect(text.toString()).toBe("ax🧵b");
    });

    it("refuses a container where a field holds something else with WEFT_TYPE_MISMATCH", () => {
      const doc = new core.WeftDoc(1n);
      doc.set("title", "x");
      expect(thrownCode(() => doc.text("title"))).toBe("WEFT_TYPE_MISMATCH");
      expect(doc.get("title")).toBe("x");
    });

    it("deletes fields and lists the rest", () => {
      const doc = new core.WeftDoc(1n);
      doc.set("a", 1);
      doc.set("b", 2);
      doc.delete("a");
      doc.delete("never");
      expect(doc.keys()).toEqual(["b"]);
      expect(doc.get("a")).toBeUndefined();
      expect(thrownCode(() => doc.set(1 as unknown as string, 1))).toBe("WEFT_INVALID_VALUE");
    });

    it("syncs incrementally through versions and exportChanges", () => {
      const a = new core.WeftDoc(1n);
      const b = new core.WeftDoc(2n);
      const ta = a.text("t");
      ta.insert(0, "hello");
      a.commit();
      expect(b.import(a.exportChanges(b.version()))).toEqual({ applied: 1, buffered: 0 });
      const tb = b.text("t");
      tb.insert(5, " world");
      ta.insert(0, "oh, ");
      const fromB = b.exportChanges(a.version());
      const fromA = a.exportChanges(b.version());
      expect(a.import(fromB).applied).toBe(1);
      expect(b.import(fromA).applied).toBe(1);
      expect(ta.toString()).toBe("oh, hello world");
      expect(tb.toString()).toBe(ta.toString());
      // Nothing new: an import applies nothing, twice over.
      expect(b.import(a.exportChanges()).applied).toBe(0);
      expect(a.exportChanges(a.version()).length).toBeLessThan(fromA.length + fromB.length);
      expect(thrownCode(() => a.exportChanges(new Uint8Array([5])))).toBe("WEFT_DECODE");
    });

    it("loads a state-only export into an empty document only", () => {
      const a = new core.WeftDoc(1n);
      a.text("t").insert(0, "state");
      a.set("n", 1);
      const state = a.exportState();
      const b = new core.WeftDoc(2n);
      b.import(state);
      expect(b.toJSON()).toEqual({ t: "state", n: 1 });
      const c = new core.WeftDoc(3n);
      c.set("x", 1);
      const before = c.exportSnapshot();
      expect(thrownCode(() => c.import(state))).toBe("WEFT_IMPORT");
      expect(c.exportSnapshot()).toEqual(before);
      expect(thrownCode(() => c.import("bytes" as unknown as Uint8Array))).toBe("WEFT_INVALID_VALUE");
    });

    it("throws WEFT_FREED after free(), from the document and its containers", () => {
      const doc = new core.WeftDoc(1n);
      const text = doc.text("t");
      text.insert(0, "x");
      doc.free();
      doc.free();
      expect(thrownCode(() => doc.keys())).toBe("WEFT_FREED");
      expect(thrownCode(() => doc.exportSnapshot())).toBe("WEFT_FREED");
      expect(thrownCode(() => text.insert(0, "y"))).toBe("WEFT_FREED");
      expect(thrownCode(() => text.length)).toBe("WEFT_FREED");

      const other = new core.WeftDoc(2n);
      const t2 = other.text("t");
      t2[Symbol.dispose]();
      expect(thrownCode(() => t2.toString())).toBe("WEFT_FREED");
      // Freeing a container leaves its document and other containers alone.
      other.text("t").insert(0, "ok");
      expect(other.toJSON()).toEqual({ t: "ok" });
      other[Symbol.dispose]();
      expect(thrownCode(() => other.toJSON())).toBe("WEFT_FREED");
    });

    it("keeps a document alive while a container of it is in use", () => {
      const text = new core.WeftDoc(1n).text("t");
      text.insert(0, "still here");
      expect(text.toString()).toBe("still here");
    });
  });
}
