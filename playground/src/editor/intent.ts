/**
 * What the person asked for, read from keyboard and input events before the browser
 * acts on them: the editor cancels the browser's own editing and applies the intent
 * to the core instead, so the DOM only ever shows what the core holds.
 */

export type Toggle = "bold" | "italic" | "underline";

export type Intent =
  | { kind: "insert"; text: string }
  | { kind: "delete"; direction: "backward" | "forward"; unit: "char" | "word" }
  | { kind: "toggle"; mark: Toggle }
  | { kind: "link" }
  | { kind: "comment" }
  | { kind: "undo" }
  | { kind: "redo" };

const DELETES: Record<string, Intent> = {
  deleteContentBackward: { kind: "delete", direction: "backward", unit: "char" },
  deleteContentForward: { kind: "delete", direction: "forward", unit: "char" },
  deleteWordBackward: { kind: "delete", direction: "backward", unit: "word" },
  deleteWordForward: { kind: "delete", direction: "forward", unit: "word" },
  deleteByCut: { kind: "delete", direction: "backward", unit: "char" },
  deleteByDrag: { kind: "delete", direction: "backward", unit: "char" },
  deleteContent: { kind: "delete", direction: "backward", unit: "char" },
};

const FORMATS: Record<string, Toggle> = {
  formatBold: "bold",
  formatItalic: "italic",
  formatUnderline: "underline",
};

/** The intent of a `beforeinput` event; undefined for input the editor ignores. */
export function fromInput(event: InputEvent): Intent | undefined {
  const type = event.inputType;
  if (type === "insertText" || type === "insertReplacementText" || type.startsWith("insertFrom")) {
    const text = event.data ?? event.dataTransfer?.getData("text/plain") ?? "";
    return text === "" ? undefined : { kind: "insert", text: text.replace(/\r\n?/g, "\n") };
  }
  if (type === "insertParagraph" || type === "insertLineBreak") return { kind: "insert", text: "\n" };
  const del = DELETES[type];
  if (del) return del;
  const mark = FORMATS[type];
  if (mark) return { kind: "toggle", mark };
  if (type === "historyUndo") return { kind: "undo" };
  if (type === "historyRedo") return { kind: "redo" };
  return undefined;
}

/** The intent of a keyboard shortcut, decided on keydown so the browser never formats the DOM itself. */
export function fromKey(event: KeyboardEvent): Intent | undefined {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return undefined;
  const key = event.key.toLowerCase();
  if (key === "z") return event.shiftKey ? { kind: "redo" } : { kind: "undo" };
  if (key === "y" && !event.shiftKey) return { kind: "redo" };
  if (event.shiftKey) return undefined;
  if (key === "b") return { kind: "toggle", mark: "bold" };
  if (key === "i") return { kind: "toggle", mark: "italic" };
  if (key === "u") return { kind: "toggle", mark: "underline" };
  if (key === "k") return { kind: "link" };
  return undefined;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const words = new Intl.Segmenter(undefined, { granularity: "word" });

/**
 * The range a collapsed deletion removes from `at`: one grapheme (so an emoji goes
 * whole, never half a surrogate pair), or to the start (end) of the word before
 * (after) the caret, spaces between included.
 */
export function deletionRange(
  text: string,
  at: number,
  direction: "backward" | "forward",
  unit: "char" | "word",
): [number, number] {
  const segments = [...(unit === "word" ? words : graphemes).segment(text)].filter(
    (s) => unit === "char" || s.isWordLike,
  );
  if (direction === "backward") {
    const from = segments.findLast((s) => s.index < at)?.index ?? 0;
    return [from, at];
  }
  const next = segments.find((s) => s.index + s.segment.length > at);
  return [at, next ? next.index + next.segment.length : text.length];
}

/** A caret movement, in the terms of `Selection.modify`. */
export interface Move {
  alter: "move" | "extend";
  direction: "backward" | "forward";
  granularity: "character" | "word" | "line" | "lineboundary" | "documentboundary";
}

/**
 * The caret movement a navigation key asks for. While edits are still on their way
 * through the core, the browser would move the caret in text about to be replaced,
 * so the editor queues the move behind them instead.
 */
export function moveOf(event: KeyboardEvent): Move | undefined {
  const alter = event.shiftKey ? "extend" : "move";
  const jump = event.ctrlKey || event.metaKey;
  switch (event.key) {
    case "ArrowLeft":
      return { alter, direction: "backward", granularity: jump ? "word" : "character" };
    case "ArrowRight":
      return { alter, direction: "forward", granularity: jump ? "word" : "character" };
    case "ArrowUp":
      return { alter, direction: "backward", granularity: "line" };
    case "ArrowDown":
      return { alter, direction: "forward", granularity: "line" };
    case "Home":
      return { alter, direction: "backward", granularity: jump ? "documentboundary" : "lineboundary" };
    case "End":
      return { alter, direction: "forward", granularity: jump ? "documentboundary" : "lineboundary" };
    default:
      return undefined;
  }
}
