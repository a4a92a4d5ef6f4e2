/**
 * One conformance suite for every binding: the same calls, the same results, the
 * same errors. The binding under test is injected by the *.test.ts files.
 */
import { describe, expect, it } from "vitest";
import { errorCode, type WeftBackend } from "../src/index.js";

const sample = {
  title: "Groceries",
  count: -3,
  ratio: 0.5,
  big: 2n ** 62n,
  flags: [true, false, null],
  nested: { a: { b: ["x", 1.25] } },
  raw: new Uint8Array([0, 255, 7]),
  emoji: "naïve 🧵 weft",
} as const;

export function conformance(name: string, load: () => Promise<WeftBackend>): void {
  describe(`core conformance: ${name}`, () => {
    let core: WeftBackend;

    it("loads and reports the core version", async () => {
      core = await load();
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
          doc.set("f", v);
        } catch (err) {
          thrown = err;
        }
        expect(errorCode(thrown), String(v)).toBe("WEFT_INVALID_VALUE");
      }
      expect(doc.keys()).toEqual([]);
    });
  });
}
