/**
 * Compile-time check (run by `tsc -b`): the committed declarations generated for
 * each binding satisfy the SDK's backend interface, so an API drift in either
 * binding fails the type check rather than a user's build.
 */
import type * as NodeBinding from "@weft/node";
import type * as WasmBinding from "@weft/wasm";
import type { CoreDoc, CoreText, WeftBackend } from "../src/index.js";

/*
 * TEMPORARY while issue 5's bindings land step by step: the members below are
 * not bound yet and are left out of the check. Each step removes what it binds;
 * when the lists are empty, `Bound` is `WeftBackend` and this block goes away.
 */
type UnboundDoc =
  | "list"
  | "map"
  | "counter"
  | "orSet"
  | "container"
  | "recordEvents"
  | "takeEvents"
  | "cursorIndex"
  | "defineMark"
  | "undo"
  | "redo"
  | "canUndo"
  | "canRedo"
  | "setUndoWindow"
  | "undoGroupBegin"
  | "undoGroupEnd";
type UnboundText = "mark" | "unmark" | "toDelta" | "cursor";
type BoundText = Omit<CoreText, UnboundText>;
type BoundDoc = Omit<CoreDoc, UnboundDoc | "text"> & { text(key: string): BoundText };
interface Bound extends Omit<WeftBackend, "WeftDoc"> {
  readonly WeftDoc: new (replica: bigint) => BoundDoc;
}

type Satisfies<T extends Bound> = T;
export type WasmIsBackend = Satisfies<typeof WasmBinding>;
export type NodeIsBackend = Satisfies<typeof NodeBinding>;
