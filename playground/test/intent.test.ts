import { describe, expect, it } from "vitest";
import { deletionRange } from "../src/editor/intent.js";
import { marked } from "../src/editor/render.js";

describe("what a deletion key removes", () => {
  it("removes one grapheme, however many UTF-16 units it takes", () => {
    expect(deletionRange("ab", 2, "backward", "char")).toEqual([1, 2]);
    expect(deletionRange("a🧵", 3, "backward", "char")).toEqual([1, 3]);
    const family = "👩‍👩‍👧";
    expect(deletionRange(`x${family}y`, 1, "forward", "char")).toEqual([1, 1 + family.length]);
    expect(deletionRange("ab", 0, "backward", "char")).toEqual([0, 0]);
    expect(deletionRange("ab", 2, "forward", "char")).toEqual([2, 2]);
  });

  it("removes to the start or end of the neighbouring word", () => {
    expect(deletionRange("hello world", 11, "backward", "word")).toEqual([6, 11]);
    expect(deletionRange("hello world", 6, "backward", "word")).toEqual([0, 6]);
    expect(deletionRange("hello world", 8, "backward", "word")).toEqual([6, 8]);
    expect(deletionRange("hello world", 5, "forward", "word")).toEqual([5, 11]);
    expect(deletionRange("hello  ", 7, "backward", "word")).toEqual([0, 7]);
  });
});

describe("whether a range carries a mark", () => {
  const runs = [{ insert: "ab" }, { insert: "cd", attributes: { bold: true } }, { insert: "e" }];
  it("is true only when every character in the range has it", () => {
    expect(marked(runs, 2, 4, "bold")).toBe(true);
    expect(marked(runs, 3, 4, "bold")).toBe(true);
    expect(marked(runs, 1, 4, "bold")).toBe(false);
    expect(marked(runs, 2, 5, "bold")).toBe(false);
    expect(marked(runs, 2, 4, "italic")).toBe(false);
    expect(marked(runs, 3, 3, "bold")).toBe(false);
  });
});
