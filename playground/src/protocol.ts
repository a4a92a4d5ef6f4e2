/**
 * What crosses the boundary between an editor on the page and the replica in its
 * worker: edits in UTF-16 indices, and the text back as formatted runs.
 */
import type { DeltaRun, WeftValue } from "@weft/sdk/backend";

/** One local change, in UTF-16 indices of the text the editor last rendered. */
export type Edit =
  /** Replaces [start, end) with `text` (an insert when empty, a delete when `text` is ""). */
  | { kind: "splice"; start: number; end: number; text: string }
  /** Sets a mark over [start, end), or removes it when `value` is null. */
  | { kind: "format"; start: number; end: number; name: string; value: WeftValue | null }
  /** Comments [start, end) with `body`, kept in the document's "comments" map. */
  | { kind: "comment"; start: number; end: number; body: string };

/** The text as the editor renders it, and what the toolbar may offer. */
export interface View {
  runs: DeltaRun[];
  /** Comment bodies by id. */
  comments: Record<string, string>;
  canUndo: boolean;
  canRedo: boolean;
}

/** A selection as UTF-16 indices; `anchor === focus` for a caret. */
export interface Selection {
  anchor: number;
  focus: number;
}

/** A view and where the local selection belongs in it. */
export interface Placed {
  view: View;
  selection: Selection;
}
