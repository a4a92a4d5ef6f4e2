/**
 * What an intent does to the text on screen: the edit for the core and where the
 * selection goes after it. Pure, so the rules are tested without a browser.
 */
import type { DeltaRun } from "@weft/sdk/backend";
import type { Edit, Selection } from "../protocol.js";
import { deletionRange, type Intent } from "./intent.js";
import { marked, plain } from "./render.js";

export type Plan = { edit: Edit; after: Selection } | { history: "undo" | "redo" };

/** Asks the person for a link target or a comment; undefined or "" if they cancel. */
export type Ask = (what: "link" | "comment") => string | undefined;

const caret = (index: number): Selection => ({ anchor: index, focus: index });

/** The plan for `intent` at `selection` in `runs`; undefined when it changes nothing. */
export function plan(intent: Intent, selection: Selection, runs: DeltaRun[], ask: Ask): Plan | undefined {
  const start = Math.min(selection.anchor, selection.focus);
  const end = Math.max(selection.anchor, selection.focus);
  switch (intent.kind) {
    case "insert":
      return {
        edit: { kind: "splice", start, end, text: intent.text },
        after: caret(start + intent.text.length),
      };
    case "delete": {
      const [from, to] =
        start < end ? [start, end] : deletionRange(plain(runs), start, intent.direction, intent.unit);
      return from < to
        ? { edit: { kind: "splice", start: from, end: to, text: "" }, after: caret(from) }
        : undefined;
    }
    case "toggle": {
      if (start === end) return undefined;
      const value = marked(runs, start, end, intent.mark) ? null : true;
      return { edit: { kind: "format", start, end, name: intent.mark, value }, after: selection };
    }
    case "link": {
      if (start === end) return undefined;
      const href = marked(runs, start, end, "link") ? null : ask("link")?.trim();
      if (href === "" || href === undefined) return undefined;
      return { edit: { kind: "format", start, end, name: "link", value: href }, after: selection };
    }
    case "comment": {
      const body = start === end ? undefined : ask("comment")?.trim();
      return body ? { edit: { kind: "comment", start, end, body }, after: selection } : undefined;
    }
    case "undo":
    case "redo":
      return { history: intent.kind };
  }
}
