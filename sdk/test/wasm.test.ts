import { describe, expect, it } from "vitest";
import { type CoreDoc, errorCode, type WeftBackend } from "../src/index.js";
import { conformance } from "./conformance.js";
import { vectors } from "./vectors.js";

conformance("WebAssembly (@weft/wasm)", async () => import("@weft/wasm"));
vectors("WebAssembly (@weft/wasm)", async () => import("@weft/wasm"));

describe("WebAssembly after a panic (panic = abort)", () => {
  it("restarts the instance: objects of the stopped one throw WEFT_PANIC, new ones work", async () => {
    const core = (await import("@weft/wasm")) as unknown as WeftBackend;
    const before = new core.WeftDoc(1n);
    before.set("k", 1);
    const bytes = before.exportSnapshot();
    const doomed = new core.WeftDoc(2n) as CoreDoc & { __debugPanic(): void };
    expect(errorCode(catching(() => doomed.__debugPanic()))).toBe("WEFT_PANIC");
    // The documented limit: every object of the stopped instance is gone.
    expect(errorCode(catching(() => before.keys()))).toBe("WEFT_PANIC");
    before.free(); // harmless
    const after = new core.WeftDoc(3n);
    after.import(bytes);
    expect(after.get("k")).toBe(1);
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
