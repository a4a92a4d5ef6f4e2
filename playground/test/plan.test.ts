import { describe, expect, it } from "vitest";
import { plan } from "../src/editor/plan.js";

const runs = [
  { insert: "say " },
  { insert: "hi", attributes: { bold: true, link: "https://a.example/" } },
  { insert: " 🧵" },
];
const at = (anchor: number, focus = anchor) => ({ anchor, focus });
const never = () => {
  throw new Error("asked when it should not");
};

describe("the edit an intent makes", () => {
  it("types over the selection and leaves the caret after the typed text", () => {
    expect(plan({ kind: "insert", text: "yo" }, at(6, 4), runs, never)).toEqual({
      edit: { kind: "splice", start: 4, end: 6, text: "yo" },
      after: at(6),
    });
  });

  it("deletes the selection, or one grapheme beside a caret, and nothing at the ends", () => {
    const back = { kind: "delete", direction: "backward", unit: "char" } as const;
    expect(plan(back, at(1, 3), runs, never)).toEqual({
      edit: { kind: "splice", start: 1, end: 3, text: "" },
      after: at(1),
    });
    expect(plan(back, at(9), runs, never)).toEqual({
      edit: { kind: "splice", start: 7, end: 9, text: "" },
      after: at(7),
    });
    expect(plan(back, at(0), runs, never)).toBeUndefined();
    expect(plan({ ...back, direction: "forward" }, at(9), runs, never)).toBeUndefined();
  });

  it("toggles a mark: on unless the whole selection has it, never on a bare caret", () => {
    const bold = { kind: "toggle", mark: "bold" } as const;
    expect(plan(bold, at(4, 6), runs, never)).toMatchObject({ edit: { name: "bold", value: null } });
    expect(plan(bold, at(3, 6), runs, never)).toMatchObject({
      edit: { name: "bold", value: true, start: 3, end: 6 },
    });
    expect(plan(bold, at(5), runs, never)).toBeUndefined();
  });

  it("links with the target asked for, unlinks a linked range, and does nothing when cancelled", () => {
    expect(plan({ kind: "link" }, at(0, 3), runs, () => " https://b.example/ ")).toMatchObject({
      edit: { kind: "format", name: "link", value: "https://b.example/" },
    });
    expect(plan({ kind: "link" }, at(4, 6), runs, never)).toMatchObject({
      edit: { name: "link", value: null },
    });
    expect(plan({ kind: "link" }, at(0, 3), runs, () => undefined)).toBeUndefined();
    expect(plan({ kind: "comment" }, at(0, 3), runs, () => "  ")).toBeUndefined();
    expect(plan({ kind: "comment" }, at(0, 3), runs, () => "why?")).toEqual({
      edit: { kind: "comment", start: 0, end: 3, body: "why?" },
      after: at(0, 3),
    });
  });
});
