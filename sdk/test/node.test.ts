import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { type CoreDoc, errorCode, type WeftBackend } from "../src/index.js";
import { conformance } from "./conformance.js";
import { vectors } from "./vectors.js";

const require = createRequire(import.meta.url);
conformance("N-API (@weft/node)", async () => require("@weft/node"));
vectors("N-API (@weft/node)", async () => require("@weft/node"));

describe("N-API after a panic", () => {
  it("poisons only the document that panicked", () => {
    const core = require("@weft/node") as WeftBackend;
    const other = new core.WeftDoc(1n);
    other.set("k", 1);
    const doomed = new core.WeftDoc(2n) as CoreDoc & { __debugPanic(): void };
    expect(errorCode(catching(() => doomed.__debugPanic()))).toBe("WEFT_PANIC");
    expect(errorCode(catching(() => doomed.toJSON()))).toBe("WEFT_PANIC");
    other.set("k", 2);
    expect(other.toJSON()).toEqual({ k: 2 });
  });
});

function catching(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}
