import { describe, expect, it } from "vitest";
import { loadCore } from "../src/core.js";

describe("server core", () => {
  it("loads the native core and merges a client's document", () => {
    const core = loadCore();
    const client = new core.WeftDoc(10n);
    client.set("status", "draft");
    const room = new core.WeftDoc(1n);
    room.import(client.exportSnapshot());
    expect(room.get("status")).toBe("draft");
  });
});
