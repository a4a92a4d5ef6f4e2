/**
 * One conformance suite for every binding: the same calls, the same results, the
 * same errors. The binding under test is injected by the *.test.ts files.
 */
import { describe, expect, it } from "vitest";
import { type CoreDoc, errorCode, type WeftBackend, type WeftValue } from "../src/index.js";

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

/** Both bindings can pin the clock (for reproducible bytes); the contract leaves it out. */
type Clocked = CoreDoc & { setClock(ms?: number): void };

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

    it("edits an empty text at offset 0 only; empty edits change nothing", () => {
      const doc = new core.WeftDoc(1n) as Clocked;
      doc.setClock(1_800_000_000_000);
      const text = doc.text("t");
      const empty = doc.exportSnapshot();
      text.insert(0, "");
      text.delete(0, 0);
      expect(doc.exportSnapshot()).toEqual(empty);
      expect(thrownCode(() => text.insert(1, "x"))).toBe("WEFT_INDEX");
      expect(thrownCode(() => text.delete(0, 1))).toBe("WEFT_INDEX");
      expect(thrownCode(() => text.delete(1, 0))).toBe("WEFT_INDEX");
      expect(doc.exportSnapshot()).toEqual(empty);
      // The first insert, then typing after it (one op).
      text.insert(0, "a");
      text.insert(1, "b");
      text.insert(2, "🧵");
      text.insert(4, "c");
      // Past the end, inside or after a surrogate pair, and deletes of nothing.
      expect(thrownCode(() => text.insert(6, "x"))).toBe("WEFT_INDEX");
      expect(thrownCode(() => text.delete(4, 3))).toBe("WEFT_INDEX");
      const typed = doc.exportSnapshot();
      text.delete(5, 0);
      text.delete(3, 0);
      text.insert(5, "");
      expect(doc.exportSnapshot()).toEqual(typed);
      text.delete(3, 1);
      expect(text.toString()).toBe("abc");
      text.insert(3, "d");
      text.delete(0, 1);
      expect(text.toString()).toBe("bcd");
      expect(text.length).toBe(3);
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

    it("opens every kind of container in root fields, and again by id", () => {
      const doc = new core.WeftDoc(1n);
      const map = doc.map("m");
      const list = doc.list("l");
      const counter = doc.counter("c");
      const set = doc.orSet("s");
      const text = doc.text("t");
      expect([map.kind, list.kind, counter.kind, set.kind, text.kind]).toEqual([
        "map",
        "list",
        "counter",
        "set",
        "text",
      ]);
      for (const c of [map, list, counter, set, text]) {
        const again = doc.container(c.id);
        expect(again.id).toBe(c.id);
        expect(again.kind).toBe(c.kind);
        expect(doc.get(c.id.slice(c.id.indexOf(":") + 1))).toEqual({ container: c.id, kind: c.kind });
      }
      expect(doc.container("root").kind).toBe("map");
      for (const bad of ["nope", "text", "blob:x", "map#1@00000000000000ff", ""]) {
        expect(
          thrownCode(() => doc.container(bad)),
          bad,
        ).toBe("WEFT_UNKNOWN_CONTAINER");
      }
      expect(thrownCode(() => doc.container(5 as unknown as string))).toBe("WEFT_UNKNOWN_CONTAINER");
      expect(thrownCode(() => doc.list("m"))).toBe("WEFT_TYPE_MISMATCH");
    });

    it("nests maps, lists and texts, and reads them back as JSON", () => {
      const doc = new core.WeftDoc(1n);
      const board = doc.list("board");
      const card = board.insertContainer(0, "map");
      expect(card.kind).toBe("map");
      if (card.kind !== "map") throw new Error("unreachable");
      card.set("title", "Write docs");
      const body = card.setContainer("body", "text");
      if (body.kind !== "text") throw new Error("unreachable");
      body.insert(0, "draft 🧵");
      board.insert(1, "a", 2, null, [1, 2], { x: 2n ** 60n });
      expect(board.length).toBe(6);
      expect(board.get(1)).toBe("a");
      expect(board.get(0)).toEqual({ container: card.id, kind: "map" });
      expect(board.get(6)).toBeUndefined();
      expect(board.toArray().slice(1)).toEqual(["a", 2, null, [1, 2], { x: 2n ** 60n }]);
      expect(card.get("body")).toEqual({ container: body.id, kind: "text" });
      expect(card.keys()).toEqual(["body", "title"]);
      expect(doc.toJSON()).toEqual({
        board: [{ title: "Write docs", body: "draft 🧵" }, "a", 2, null, [1, 2], { x: 2n ** 60n }],
      });
      expect(card.toJSON()).toEqual({ title: "Write docs", body: "draft 🧵" });
      board.delete(1, 2);
      expect(board.toArray().slice(1)).toEqual([null, [1, 2], { x: 2n ** 60n }]);
      card.delete("title");
      expect(card.get("title")).toBeUndefined();

      // The nested containers reach another replica by id.
      const other = new core.WeftDoc(2n);
      other.import(doc.exportSnapshot());
      const body2 = other.container(body.id);
      if (body2.kind !== "text") throw new Error("unreachable");
      expect(body2.toString()).toBe("draft 🧵");
      expect(other.toJSON()).toEqual(doc.toJSON());
    });

    it("counts with numbers and bigints", () => {
      const doc = new core.WeftDoc(1n);
      const c = doc.counter("likes");
      expect(c.value).toBe(0);
      c.add(5);
      c.add(-2);
      expect(c.value).toBe(3);
      c.add(2n ** 60n);
      expect(c.value).toBe(2n ** 60n + 3n);
      const f = doc.counter("score");
      f.add(0.5);
      expect(f.value).toBe(0.5);
      for (const bad of ["1", Number.NaN, Number.POSITIVE_INFINITY, 2n ** 64n, null]) {
        expect(
          thrownCode(() => f.add(bad as number)),
          String(bad),
        ).toBe("WEFT_INVALID_VALUE");
      }
      expect(f.value).toBe(0.5);
    });

    it("adds and removes set members, add winning over a concurrent remove", () => {
      const a = new core.WeftDoc(1n);
      const s = a.orSet("tags");
      s.add("home");
      s.add(42);
      s.add({ deep: [1] });
      expect(s.has("home")).toBe(true);
      expect(s.has("away")).toBe(false);
      expect(s.remove("away")).toBe(false);
      expect(s.remove(42)).toBe(true);
      expect(s.values()).toHaveLength(2);
      expect(s.values()).toContainEqual({ deep: [1] });

      const b = new core.WeftDoc(2n);
      b.import(a.exportSnapshot());
      b.orSet("tags").remove("home");
      s.add("home"); // concurrent re-add
      a.import(b.exportChanges(a.version()));
      b.import(a.exportChanges(b.version()));
      expect(s.has("home")).toBe(true);
      expect(b.orSet("tags").has("home")).toBe(true);
      expect(thrownCode(() => s.add((() => 1) as unknown as WeftValue))).toBe("WEFT_INVALID_VALUE");
    });

    it("reports local and remote changes as events, text in UTF-16 units", () => {
      const a = new core.WeftDoc(1n);
      const b = new core.WeftDoc(2n);
      a.recordEvents(true);
      b.recordEvents(true);
      const text = a.text("t");
      text.insert(0, "🧵x");
      text.insert(3, "y");
      text.delete(0, 2);
      a.set("title", "T");
      a.delete("title");
      a.counter("c").add(2);
      a.orSet("s").add("m");
      const list = a.list("l");
      list.insert(0, 1, 2);
      list.delete(1, 1);
      const local = a.takeEvents();
      expect(a.takeEvents()).toEqual([]);
      const textEvents = local.filter((e) => e.kind === "text").map((e) => e.delta);
      expect(textEvents).toEqual([[{ insert: "🧵x" }], [{ retain: 3 }, { insert: "y" }], [{ delete: 2 }]]);
      expect(local).toContainEqual({ container: "root", kind: "map", key: "title", value: "T" });
      expect(local).toContainEqual({ container: "root", kind: "map", key: "title", value: undefined });
      expect(local).toContainEqual({ container: "counter:c", kind: "counter", value: 2 });
      expect(local).toContainEqual({ container: "set:s", kind: "set", member: "m", present: true });
      expect(local.filter((e) => e.kind === "list").map((e) => e.delta)).toEqual([
        [{ insert: [1] }],
        [{ retain: 1 }, { insert: [2] }],
        [{ retain: 1 }, { delete: 1 }],
      ]);

      b.import(a.exportChanges());
      const remote = b.takeEvents();
      const t = b.text("t");
      // Replaying the remote text deltas over "" gives the text.
      let s = "";
      for (const e of remote) {
        if (e.kind !== "text") continue;
        let at = 0;
        for (const op of e.delta) {
          if ("retain" in op) at += op.retain;
          else if ("insert" in op) {
            s = s.slice(0, at) + op.insert + s.slice(at);
            at += op.insert.length;
          } else s = s.slice(0, at) + s.slice(at + op.delete);
        }
      }
      expect(s).toBe(t.toString());
      expect(s).toBe("xy");
      b.recordEvents(false);
      t.insert(0, "z");
      expect(b.takeEvents()).toEqual([]);
    });

    /** A document with some of everything, and a check that it stays as it is. */
    function busyDoc(replica = 7n) {
      const doc = new core.WeftDoc(replica);
      doc.set("title", "T");
      doc.text("t").insert(0, "a🧵b");
      doc.list("l").insert(0, 1, "two");
      doc.map("m").set("k", "v");
      doc.counter("c").add(3);
      doc.orSet("s").add("x");
      doc.commit();
      const snapshot = doc.exportSnapshot();
      const json = doc.toJSON();
      const unchanged = (label: string) => {
        expect(doc.exportSnapshot(), label).toEqual(snapshot);
        expect(doc.toJSON(), label).toEqual(json);
      };
      return { doc, unchanged };
    }

    it("refuses every truncation and every corrupted byte of a payload, changing nothing", () => {
      const source = busyDoc(1n).doc;
      const payloads = [source.exportSnapshot(), source.exportChanges(), source.exportState()];
      const { doc, unchanged } = busyDoc();
      const fresh = new core.WeftDoc(9n);
      for (const bytes of payloads) {
        for (let cut = 0; cut < bytes.length; cut++) {
          expect(
            thrownCode(() => doc.import(bytes.subarray(0, cut))),
            `cut ${cut}`,
          ).toBe("WEFT_DECODE");
        }
        for (let i = 0; i < bytes.length; i++) {
          const bad = bytes.slice();
          bad[i] = (bad[i] as number) ^ 0x5a;
          expect(
            thrownCode(() => doc.import(bad)),
            `byte ${i}`,
          ).toBe("WEFT_DECODE");
          expect(
            thrownCode(() => fresh.import(bad)),
            `byte ${i} (fresh)`,
          ).toBe("WEFT_DECODE");
        }
      }
      unchanged("after bad payloads");
      expect(fresh.keys()).toEqual([]);
    });

    it("refuses oversized and random payloads with WEFT_DECODE", () => {
      const { doc, unchanged } = busyDoc();
      const valid = busyDoc(1n).doc.exportSnapshot();
      let seed = 1;
      const random = (n: number) =>
        Uint8Array.from({ length: n }, () => {
          seed = (seed * 1103515245 + 12345) >>> 0;
          return seed >>> 24;
        });
      const oversized = new Uint8Array(valid.length + 4 * 2 ** 20);
      oversized.set(valid);
      for (const bad of [random(16), random(4096), random(2 ** 20), oversized, new Uint8Array(2 ** 20)]) {
        expect(thrownCode(() => doc.import(bad))).toBe("WEFT_DECODE");
      }
      // A version claiming more entries than its bytes could hold.
      const lying = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
      expect(thrownCode(() => doc.exportChanges(lying))).toBe("WEFT_DECODE");
      expect(thrownCode(() => doc.exportChanges(random(1000)))).toBe("WEFT_DECODE");
      unchanged("after oversized payloads");
    });

    it("refuses a change stamped too far ahead with WEFT_CLOCK_DRIFT, changing nothing", () => {
      const future = new core.WeftDoc(1n) as Clocked;
      future.setClock(Date.now() + 3_600_000);
      future.set("from", "the future");
      const { doc, unchanged } = busyDoc();
      expect(thrownCode(() => doc.import(future.exportChanges()))).toBe("WEFT_CLOCK_DRIFT");
      unchanged("after drift");
      for (const bad of [-1, 1.5, Number.NaN]) {
        expect(
          thrownCode(() => future.setClock(bad)),
          String(bad),
        ).toBe("WEFT_INVALID_VALUE");
      }
    });

    it("refuses wrong argument types and out-of-range indices in every call, changing nothing", () => {
      const { doc, unchanged } = busyDoc();
      const text = doc.text("t");
      const list = doc.list("l");
      const map = doc.map("m");
      const counter = doc.counter("c");
      const set = doc.orSet("s");
      const any = (v: unknown) => v as never;
      const deep: WeftValue = [];
      let cur = deep as WeftValue[];
      for (let i = 0; i < 100; i++) {
        const next: WeftValue[] = [];
        cur.push(next);
        cur = next;
      }
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const cases: Array<[string, () => unknown, string]> = [
        [
          "doc.set function",
          () =>
            doc.set(
              "f",
              any(() => 1),
            ),
          "WEFT_INVALID_VALUE",
        ],
        ["doc.set undefined", () => doc.set("f", any(undefined)), "WEFT_INVALID_VALUE"],
        ["doc.set symbol", () => doc.set("f", any(Symbol("s"))), "WEFT_INVALID_VALUE"],
        ["doc.set nested function", () => doc.set("f", any({ a: [1, () => 1] })), "WEFT_INVALID_VALUE"],
        ["doc.set too deep", () => doc.set("f", deep), "WEFT_INVALID_VALUE"],
        ["doc.set cyclic", () => doc.set("f", any(cyclic)), "WEFT_INVALID_VALUE"],
        ["doc.set bigint 2^63", () => doc.set("f", 2n ** 63n), "WEFT_INVALID_VALUE"],
        ["doc.set key", () => doc.set(any(null), 1), "WEFT_INVALID_VALUE"],
        ["doc.get key", () => doc.get(any(1)), "WEFT_INVALID_VALUE"],
        ["doc.delete key", () => doc.delete(any({})), "WEFT_INVALID_VALUE"],
        ["doc.text key", () => doc.text(any(1)), "WEFT_INVALID_VALUE"],
        ["doc.list on a text", () => doc.list("t"), "WEFT_TYPE_MISMATCH"],
        ["doc.map on a value", () => doc.map("title"), "WEFT_TYPE_MISMATCH"],
        ["doc.counter on a list", () => doc.counter("l"), "WEFT_TYPE_MISMATCH"],
        ["doc.orSet on a map", () => doc.orSet("m"), "WEFT_TYPE_MISMATCH"],
        ["doc.text on a set", () => doc.text("s"), "WEFT_TYPE_MISMATCH"],
        ["doc.container", () => doc.container("list#99@0000000000000007"), "WEFT_UNKNOWN_CONTAINER"],
        ["doc.import string", () => doc.import(any("x")), "WEFT_INVALID_VALUE"],
        ["doc.import array", () => doc.import(any([1, 2])), "WEFT_INVALID_VALUE"],
        ["doc.exportChanges string", () => doc.exportChanges(any("x")), "WEFT_INVALID_VALUE"],
        ["doc.recordEvents string", () => doc.recordEvents(any("yes")), "WEFT_INVALID_VALUE"],
        ["doc.setClock string", () => (doc as Clocked).setClock(any("1")), "WEFT_INVALID_VALUE"],
        ["text.insert past end", () => text.insert(5, "x"), "WEFT_INDEX"],
        ["text.insert text", () => text.insert(0, any(null)), "WEFT_INVALID_VALUE"],
        ["text.delete past end", () => text.delete(3, 2), "WEFT_INDEX"],
        ["text.delete index", () => text.delete(any("0"), 1), "WEFT_INDEX"],
        ["list.insert past end", () => list.insert(3, "x"), "WEFT_INDEX"],
        ["list.insert negative", () => list.insert(-1, "x"), "WEFT_INDEX"],
        [
          "list.insert bad value",
          () =>
            list.insert(
              0,
              "ok",
              any(() => 1),
            ),
          "WEFT_INVALID_VALUE",
        ],
        ["list.insert index type", () => list.insert(any(1n), "x"), "WEFT_INDEX"],
        ["list.insertContainer kind", () => list.insertContainer(0, any("blob")), "WEFT_INVALID_VALUE"],
        ["list.insertContainer past end", () => list.insertContainer(9, "map"), "WEFT_INDEX"],
        ["list.delete past end", () => list.delete(1, 2), "WEFT_INDEX"],
        ["list.delete fraction", () => list.delete(0.5, 1), "WEFT_INDEX"],
        ["list.get negative", () => list.get(-1), "WEFT_INDEX"],
        ["list.get type", () => list.get(any("1")), "WEFT_INDEX"],
        ["map.set value", () => map.set("k", any(undefined)), "WEFT_INVALID_VALUE"],
        ["map.set key", () => map.set(any(2), 1), "WEFT_INVALID_VALUE"],
        ["map.get key", () => map.get(any(2)), "WEFT_INVALID_VALUE"],
        ["map.delete key", () => map.delete(any(2)), "WEFT_INVALID_VALUE"],
        ["map.setContainer kind", () => map.setContainer("k", any("table")), "WEFT_INVALID_VALUE"],
        ["counter.add string", () => counter.add(any("1")), "WEFT_INVALID_VALUE"],
        ["counter.add NaN", () => counter.add(Number.NaN), "WEFT_INVALID_VALUE"],
        ["set.add function", () => set.add(any(() => 1)), "WEFT_INVALID_VALUE"],
        ["set.remove symbol", () => set.remove(any(Symbol("s"))), "WEFT_INVALID_VALUE"],
        ["set.has undefined", () => set.has(any(undefined)), "WEFT_INVALID_VALUE"],
      ];
      for (const [label, f, code] of cases) {
        expect(thrownCode(f), label).toBe(code);
        unchanged(label);
      }
    });

    it("refuses replica ids outside 0..2^64", () => {
      for (const bad of [-1n, 2n ** 64n, 1, "1", null]) {
        expect(
          thrownCode(() => new core.WeftDoc(bad as bigint)),
          String(bad),
        ).toBe("WEFT_INVALID_VALUE");
      }
      expect(new core.WeftDoc(0n).replica).toBe(0n);
      expect(new core.WeftDoc(2n ** 64n - 1n).replica).toBe(2n ** 64n - 1n);
    });

    it("throws WEFT_FREED from every call on a freed container or document", () => {
      const doc = new core.WeftDoc(1n);
      const objects = {
        text: doc.text("t"),
        list: doc.list("l"),
        map: doc.map("m"),
        counter: doc.counter("c"),
        set: doc.orSet("s"),
      };
      const calls: Array<[string, () => unknown]> = [
        ["text.insert", () => objects.text.insert(0, "x")],
        ["text.delete", () => objects.text.delete(0, 0)],
        ["text.length", () => objects.text.length],
        ["text.toString", () => objects.text.toString()],
        ["list.insert", () => objects.list.insert(0, 1)],
        ["list.insertContainer", () => objects.list.insertContainer(0, "map")],
        ["list.delete", () => objects.list.delete(0, 0)],
        ["list.get", () => objects.list.get(0)],
        ["list.length", () => objects.list.length],
        ["list.toArray", () => objects.list.toArray()],
        ["map.set", () => objects.map.set("k", 1)],
        ["map.get", () => objects.map.get("k")],
        ["map.delete", () => objects.map.delete("k")],
        ["map.keys", () => objects.map.keys()],
        ["map.setContainer", () => objects.map.setContainer("k", "list")],
        ["map.toJSON", () => objects.map.toJSON()],
        ["counter.add", () => objects.counter.add(1)],
        ["counter.value", () => objects.counter.value],
        ["set.add", () => objects.set.add(1)],
        ["set.remove", () => objects.set.remove(1)],
        ["set.has", () => objects.set.has(1)],
        ["set.values", () => objects.set.values()],
      ];
      const docCalls: Array<[string, () => unknown]> = [
        ["replica", () => doc.replica],
        ["set", () => doc.set("k", 1)],
        ["get", () => doc.get("k")],
        ["delete", () => doc.delete("k")],
        ["keys", () => doc.keys()],
        ["toJSON", () => doc.toJSON()],
        ["text", () => doc.text("t")],
        ["list", () => doc.list("l")],
        ["map", () => doc.map("m")],
        ["counter", () => doc.counter("c")],
        ["orSet", () => doc.orSet("s")],
        ["container", () => doc.container("root")],
        ["commit", () => doc.commit()],
        ["version", () => doc.version()],
        ["exportChanges", () => doc.exportChanges()],
        ["exportSnapshot", () => doc.exportSnapshot()],
        ["exportState", () => doc.exportState()],
        ["import", () => doc.import(new Uint8Array(0))],
        ["recordEvents", () => doc.recordEvents(true)],
        ["takeEvents", () => doc.takeEvents()],
      ];
      // Container objects freed one by one: the document is untouched.
      for (const o of Object.values(objects)) o.free();
      for (const [label, f] of calls) expect(thrownCode(f), label).toBe("WEFT_FREED");
      expect(doc.keys().sort()).toEqual(["c", "l", "m", "s", "t"]);
      // Reopened, then the document freed under them.
      objects.text = doc.text("t");
      objects.list = doc.list("l");
      objects.map = doc.map("m");
      objects.counter = doc.counter("c");
      objects.set = doc.orSet("s");
      doc[Symbol.dispose]();
      for (const [label, f] of [...calls, ...docCalls]) expect(thrownCode(f), label).toBe("WEFT_FREED");
      // Freeing again is harmless.
      doc.free();
      for (const o of Object.values(objects)) o[Symbol.dispose]();
    });

    it("formats text with marks, in UTF-16 units, and reads it back as runs", () => {
      const a = new core.WeftDoc(1n);
      const text = a.text("t");
      text.insert(0, "bold 🧵 and plain");
      text.mark(0, 7, "bold", true);
      text.mark(5, 7, "link", "https://weft.example");
      text.mark(0, 4, "comment", "c1");
      text.mark(2, 7, "comment", "c2");
      expect(text.toDelta()).toEqual([
        { insert: "bo", attributes: { bold: true, comment: ["c1"] } },
        { insert: "ld", attributes: { bold: true, comment: ["c1", "c2"] } },
        { insert: " ", attributes: { bold: true, comment: ["c2"] } },
        { insert: "🧵", attributes: { bold: true, comment: ["c2"], link: "https://weft.example" } },
        { insert: " and plain" },
      ]);
      text.unmark(0, 7, "comment", "c1");
      text.unmark(5, 7, "link");
      expect(text.toDelta()).toEqual([
        { insert: "bo", attributes: { bold: true } },
        { insert: "ld 🧵", attributes: { bold: true, comment: ["c2"] } },
        { insert: " and plain" },
      ]);
      // Bold grows when typing at its end, a comment does not, and neither does an
      // application mark declared "none".
      a.defineMark("highlight", "none");
      text.mark(8, 11, "highlight", "yellow");
      text.insert(7, "!");
      text.insert(12, "?");
      expect(text.toDelta()).toEqual([
        { insert: "bo", attributes: { bold: true } },
        { insert: "ld 🧵", attributes: { bold: true, comment: ["c2"] } },
        { insert: "!", attributes: { bold: true } },
        { insert: " " },
        { insert: "and", attributes: { highlight: "yellow" } },
        { insert: "? plain" },
      ]);

      // Marks merge: another replica sees the same runs.
      const b = new core.WeftDoc(2n);
      b.import(a.exportSnapshot());
      expect(b.text("t").toDelta()).toEqual(text.toDelta());

      const before = a.exportSnapshot();
      const bad: Array<[() => unknown, string]> = [
        [() => text.mark(0, 99, "bold", true), "WEFT_INDEX"],
        [() => text.mark(-1, 2, "bold", true), "WEFT_INDEX"],
        [() => text.mark(0, 2, "link", 5), "WEFT_MARK"],
        [() => text.mark(0, 2, "bold", null), "WEFT_MARK"],
        [() => text.mark(0, 2, 5 as unknown as string, true), "WEFT_INVALID_VALUE"],
        [() => text.mark(0, 2, "bold", (() => 1) as unknown as WeftValue), "WEFT_INVALID_VALUE"],
        [() => text.unmark(0, 99, "bold"), "WEFT_INDEX"],
        [() => a.defineMark("x", "sideways" as never), "WEFT_INVALID_VALUE"],
      ];
      for (const [f, code] of bad) expect(thrownCode(f), String(f)).toBe(code);
      expect(a.exportSnapshot()).toEqual(before);
    });

    it("reports formatting as text events with attributes", () => {
      const a = new core.WeftDoc(1n);
      const text = a.text("t");
      text.insert(0, "🧵ab");
      a.recordEvents(true);
      text.mark(2, 3, "italic", true);
      text.insert(3, "x");
      text.unmark(2, 4, "italic");
      const deltas = a.takeEvents().map((e) => (e.kind === "text" ? e.delta : e));
      expect(deltas).toEqual([
        [{ retain: 2 }, { retain: 1, attributes: { italic: true } }],
        [{ retain: 3 }, { insert: "x", attributes: { italic: true } }],
        [{ retain: 2 }, { retain: 2, attributes: { italic: null } }],
      ]);
    });

    it("keeps cursors stable across concurrent edits, export and import", () => {
      const a = new core.WeftDoc(1n);
      const text = a.text("t");
      text.insert(0, "🧵hello world");
      const caret = text.cursor(7, "left"); // after "hello"
      const start = text.cursor(2, "right"); // before "h"
      expect(a.cursorIndex(caret)).toBe(7);
      const b = new core.WeftDoc(2n);
      b.import(a.exportSnapshot());
      b.text("t").insert(0, "Oh, ");
      b.text("t").insert(11, "!!"); // at the caret: left gravity stays before it
      a.import(b.exportChanges(a.version()));
      expect(text.toString()).toBe("Oh, 🧵hello!! world");
      expect(a.cursorIndex(caret)).toBe(11);
      expect(b.cursorIndex(caret)).toBe(11);
      expect(a.cursorIndex(start)).toBe(6);
      text.delete(0, 8); // the anchor "h" goes; the cursor stays where it was
      expect(a.cursorIndex(start)).toBe(0);

      const list = a.list("l");
      list.insert(0, "x", "y", "z");
      const c = list.cursor(2, "right"); // before "z"
      list.insert(0, "w");
      expect(a.cursorIndex(c)).toBe(3);

      const unknown = new core.WeftDoc(3n);
      expect(thrownCode(() => unknown.cursorIndex(caret))).toBe("WEFT_UNKNOWN_ANCHOR");
      expect(thrownCode(() => a.cursorIndex(caret.subarray(0, 3)))).toBe("WEFT_DECODE");
      expect(thrownCode(() => a.cursorIndex(new Uint8Array(0)))).toBe("WEFT_DECODE");
      expect(thrownCode(() => a.cursorIndex("x" as unknown as Uint8Array))).toBe("WEFT_INVALID_VALUE");
      expect(thrownCode(() => text.cursor(99, "left"))).toBe("WEFT_INDEX");
      expect(thrownCode(() => text.cursor(0, "up" as never))).toBe("WEFT_INVALID_VALUE");
      expect(thrownCode(() => list.cursor(9, "left"))).toBe("WEFT_INDEX");
    });

    it("undoes and redoes this replica's changes, grouped, with the caret", () => {
      const a = new core.WeftDoc(1n);
      expect(a.canUndo()).toBe(false);
      expect(a.undo()).toBeUndefined();
      a.setUndoWindow(0);
      const text = a.text("t");
      text.insert(0, "🧵 hello");
      a.commit();
      a.undoGroupBegin();
      text.insert(8, " world");
      a.set("title", "T");
      a.undoGroupEnd();
      expect(a.canUndo()).toBe(true);
      const out = a.undo();
      expect(text.toString()).toBe("🧵 hello");
      expect(a.get("title")).toBeUndefined();
      // The caret goes where the undone text was, in UTF-16 units.
      expect(out).toEqual({ container: "text:t", index: 8 });
      expect(a.canRedo()).toBe(true);
      expect(a.redo()).toEqual({ container: "text:t", index: 14 });
      expect(text.toString()).toBe("🧵 hello world");
      expect(a.get("title")).toBe("T");

      // A remote edit is not this replica's to undo; undo keeps it.
      const b = new core.WeftDoc(2n);
      b.import(a.exportSnapshot());
      b.text("t").insert(0, ">");
      a.import(b.exportChanges(a.version()));
      a.undo();
      expect(text.toString()).toBe(">🧵 hello");
      expect(thrownCode(() => a.setUndoWindow(-5))).toBe("WEFT_INVALID_VALUE");

      // One list.insert of several values is one step; a counter has no caret.
      const list = a.list("l");
      list.insert(0, 1, 2, 3);
      expect(a.undo()).toEqual({ container: "list:l", index: 0 });
      expect(list.toArray()).toEqual([]);
      a.counter("n").add(2);
      expect(a.undo()).toEqual({});
      expect(a.counter("n").value).toBe(0);
      while (a.canUndo()) a.undo();
      expect(a.undo()).toBeUndefined();
    });

    // Last: in the WebAssembly build a panic restarts the instance.
    it("turns a panic inside the core into WEFT_PANIC and goes on serving new documents", () => {
      const source = new core.WeftDoc(1n);
      source.text("t").insert(0, "saved 🧵");
      const saved = source.exportSnapshot();
      const doomed = new core.WeftDoc(2n) as CoreDoc & { __debugPanic(): void };
      const text = doomed.text("t");
      expect(thrownCode(() => doomed.__debugPanic())).toBe("WEFT_PANIC");
      // The document that panicked is not trusted again, nor its containers.
      expect(thrownCode(() => doomed.keys())).toBe("WEFT_PANIC");
      expect(thrownCode(() => text.insert(0, "x"))).toBe("WEFT_PANIC");
      // The bindings' fast paths for the hot calls report it the same way.
      expect(thrownCode(() => text.delete(0, 0))).toBe("WEFT_PANIC");
      expect(thrownCode(() => text.length)).toBe("WEFT_PANIC");
      expect(thrownCode(() => doomed.commit())).toBe("WEFT_PANIC");
      doomed.free();
      // The process and the binding live on: a new document loads the export.
      const again = new core.WeftDoc(3n);
      again.import(saved);
      expect(again.text("t").toString()).toBe("saved 🧵");
      again.text("t").insert(0, ">");
      expect(again.toJSON()).toEqual({ t: ">saved 🧵" });
    });
  });
}
