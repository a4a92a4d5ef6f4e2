/**
 * The core's test vectors (core/tests/vectors/), checked against a binding: the
 * committed bytes decode to the committed values and events, and replaying the
 * same scripts through the binding, with the same replicas and clocks, produces
 * the same bytes, byte for byte.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CoreDoc, WeftBackend, WeftValue } from "../src/index.js";

const dir = new URL("../../core/tests/vectors/", import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(name, dir)), "utf8"));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Step = [number, string, ...Json[]];
interface Scenario {
  name: string;
  replicas: string[];
  steps: Step[];
}
interface Replica {
  replica: string;
  json: Json;
  deltas: Record<string, Json[]>;
  snapshot: string;
  state: string;
  changes: string;
  version: string;
}
interface Vector {
  name: string;
  replicas: Replica[];
  events: Json[];
}

/** After every script's clock, as the Rust side's fresh replicas. */
const FRESH_MS = 1_800_000_000_000;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));

/** Tagged JSON (see scenarios.json) as the values JavaScript reads. */
function untag(j: Json): WeftValue {
  if (Array.isArray(j)) return j.map(untag);
  if (j !== null && typeof j === "object") {
    if (typeof j.$int === "string") return BigInt(j.$int);
    if (typeof j.$bytes === "string") return unhex(j.$bytes);
    if (typeof j.$float === "number") return j.$float;
    return Object.fromEntries(Object.entries(j).map(([k, v]) => [k, untag(v)]));
  }
  return j;
}

// The steps' names are the Rust script's (core/tests/vectors/script.rs); each is
// the contract's call for the same core operation.
function run(docs: CoreDoc[], [at, op, ...a]: Step): void {
  const doc = docs[at] as CoreDoc;
  const str = (i: number) => a[i] as string;
  const num = (i: number) => a[i] as number;
  switch (op) {
    case "time":
      (doc as CoreDoc & { setClock(ms?: number): void }).setClock(num(0));
      break;
    case "set":
      doc.set(str(0), untag(a[1] as Json));
      break;
    case "delete":
      doc.delete(str(0));
      break;
    case "commit":
      doc.commit();
      break;
    case "text_insert":
      doc.text(str(0)).insert(num(1), str(2));
      break;
    case "text_delete":
      doc.text(str(0)).delete(num(1), num(2));
      break;
    case "mark":
      doc.text(str(0)).mark(num(1), num(2), str(3), untag(a[4] as Json));
      break;
    case "unmark":
      doc.text(str(0)).unmark(num(1), num(2), str(3));
      break;
    case "map_set":
      doc.map(str(0)).set(str(1), untag(a[2] as Json));
      break;
    case "map_delete":
      doc.map(str(0)).delete(str(1));
      break;
    case "list_insert":
      doc.list(str(0)).insert(num(1), untag(a[2] as Json));
      break;
    case "list_delete":
      doc.list(str(0)).delete(num(1), num(2));
      break;
    case "counter_add":
      doc.counter(str(0)).add(untag(a[1] as Json) as number | bigint);
      break;
    case "set_add":
      doc.orSet(str(0)).add(untag(a[1] as Json));
      break;
    case "set_remove":
      doc.orSet(str(0)).remove(untag(a[1] as Json));
      break;
    case "sync": {
      const to = docs[num(0)] as CoreDoc;
      to.import(doc.exportChanges(to.version()));
      break;
    }
    default:
      throw new Error(`unknown step ${op}`);
  }
}

/** Every text's formatted runs are the committed ones. */
function checkDeltas(doc: CoreDoc, r: Replica): void {
  for (const [field, runs] of Object.entries(r.deltas)) {
    expect(doc.text(field).toDelta(), `${r.replica} ${field} runs`).toEqual(runs.map(untag));
  }
}

export function vectors(name: string, load: () => Promise<unknown>): void {
  const scenarios: Scenario[] = read("scenarios.json").scenarios;
  const expected: Vector[] = read("expected.json").vectors;

  describe(`core test vectors: ${name}`, () => {
    let core: WeftBackend;
    const fresh = () => {
      const doc = new core.WeftDoc(0xeen);
      (doc as CoreDoc & { setClock(ms?: number): void }).setClock(FRESH_MS);
      return doc;
    };

    it("loads", async () => {
      core = (await load()) as WeftBackend;
      expect(expected.map((v) => v.name)).toEqual(scenarios.map((s) => s.name));
    });

    for (const v of expected) {
      it(`${v.name}: committed bytes decode to the committed values and events`, () => {
        for (const r of v.replicas) {
          for (const form of ["snapshot", "state", "changes"] as const) {
            const doc = fresh();
            doc.import(unhex(r[form]));
            expect(doc.toJSON(), `${r.replica} ${form}`).toEqual(untag(r.json));
            checkDeltas(doc, r);
          }
        }
        const doc = fresh();
        doc.recordEvents(true);
        doc.import(unhex((v.replicas[0] as Replica).changes));
        expect(doc.takeEvents()).toEqual(v.events.map(untag));
      });

      it(`${v.name}: replaying the script gives the same bytes`, () => {
        const scenario = scenarios.find((s) => s.name === v.name) as Scenario;
        const docs = scenario.replicas.map((r) => new core.WeftDoc(BigInt(`0x${r}`)));
        for (const step of scenario.steps) run(docs, step);
        docs.forEach((doc, i) => {
          const r = v.replicas[i] as Replica;
          // The same export order as the Rust side (exports commit pending ops).
          expect(hex(doc.exportSnapshot()), `${r.replica} snapshot`).toBe(r.snapshot);
          expect(hex(doc.exportState()), `${r.replica} state`).toBe(r.state);
          expect(hex(doc.exportChanges()), `${r.replica} changes`).toBe(r.changes);
          expect(hex(doc.version()), `${r.replica} version`).toBe(r.version);
          expect(doc.toJSON()).toEqual(untag(r.json));
          checkDeltas(doc, r);
        });
      });
    }
  });
}
