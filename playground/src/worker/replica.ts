/**
 * One editor's replica, living in its worker: the document, its one text field, and
 * the version last handed to the page for sending. Written against the SDK's
 * contract only, so any binding that satisfies `WeftBackend` can back it.
 */
import type { CoreDoc, WeftBackend } from "@weft/sdk";
import type { CoreText, Gravity } from "@weft/sdk/backend";
import type { Edit, Placed, Selection, View } from "../protocol.js";

/** The root field every editor edits: root containers are named by field, so all replicas share it. */
const FIELD = "body";
/** The root map field holding comment bodies by id; marks hold only the ids. */
const COMMENTS = "comments";
/** A caret sticks to the character before it, so text a peer types right there lands after it. */
const CARET: Gravity = "left";

export class Replica {
  readonly #doc: CoreDoc;
  readonly #text: CoreText;
  /** The version the last `takeOutgoing` covered (at first the empty one). */
  #sent: Uint8Array;
  #comments = 0;

  constructor(backend: WeftBackend, replica: bigint) {
    this.#doc = new backend.WeftDoc(replica);
    this.#sent = this.#doc.version();
    this.#text = this.#doc.text(FIELD);
  }

  view(): View {
    return {
      runs: this.#text.toDelta(),
      comments: this.#commentBodies(),
      canUndo: this.#doc.canUndo(),
      canRedo: this.#doc.canRedo(),
    };
  }

  #commentBodies(): Record<string, string> {
    if (!this.#doc.keys().includes(COMMENTS)) return {};
    const bodies: Record<string, string> = {};
    for (const [id, body] of Object.entries(this.#doc.map(COMMENTS).toJSON())) {
      if (typeof body === "string") bodies[id] = body;
    }
    return bodies;
  }

  /** Applies one local edit; a replacement is one undo step. */
  edit(edit: Edit): View {
    const text = this.#text;
    // Formatting is a step of its own, never joined to the typing just before it.
    if (edit.kind === "format") {
      const { start, end, name, value } = edit;
      this.#grouped(() =>
        value === null ? text.unmark(start, end, name) : text.mark(start, end, name, value),
      );
      return this.view();
    }
    if (edit.kind === "comment") {
      // Unique across replicas: the replica id is.
      const id = `${this.#doc.replica.toString(16)}-${++this.#comments}`;
      this.#grouped(() => {
        this.#doc.map(COMMENTS).set(id, edit.body);
        text.mark(edit.start, edit.end, "comment", id);
      });
      return this.view();
    }
    const splice = () => {
      if (edit.end > edit.start) text.delete(edit.start, edit.end - edit.start);
      if (edit.text !== "") text.insert(edit.start, edit.text);
    };
    // Typing joins the undo window's step; a replacement is one step of its own.
    if (edit.end > edit.start && edit.text !== "") this.#grouped(splice);
    else splice();
    return this.view();
  }

  /** Runs `change` as one undo step. */
  #grouped(change: () => void): void {
    this.#doc.undoGroupBegin();
    try {
      change();
    } finally {
      this.#doc.undoGroupEnd();
    }
  }

  version(): Uint8Array {
    return this.#doc.version();
  }

  /** What a peer at `version` lacks. */
  changesSince(version: Uint8Array): Uint8Array {
    return this.#doc.exportChanges(version);
  }

  /** The changes since the last call, to send to online peers. */
  takeOutgoing(): Uint8Array {
    const bytes = this.#doc.exportChanges(this.#sent);
    this.#sent = this.#doc.version();
    return bytes;
  }

  /** Imports peers' updates, carrying the local selection across them on stable cursors. */
  receive(updates: Uint8Array[], selection: Selection): Placed {
    const anchor = this.cursor(selection.anchor);
    const focus = this.cursor(selection.focus);
    for (const bytes of updates) this.#doc.import(bytes);
    return {
      view: this.view(),
      selection: { anchor: this.#doc.cursorIndex(anchor), focus: this.#doc.cursorIndex(focus) },
    };
  }

  /** A stable position for `index`. */
  cursor(index: number): Uint8Array {
    return this.#text.cursor(Math.min(index, this.#text.length), CARET);
  }

  /** Where peers' cursors are now; null for one this replica cannot place (yet). */
  resolve(cursors: Uint8Array[]): (number | null)[] {
    return cursors.map((cursor) => {
      try {
        return this.#doc.cursorIndex(cursor);
      } catch {
        // A cursor into text this replica has not received yet.
        return null;
      }
    });
  }

  undo(): { view: View; caret: number | undefined } {
    return { caret: this.#doc.undo()?.index, view: this.view() };
  }

  redo(): { view: View; caret: number | undefined } {
    return { caret: this.#doc.redo()?.index, view: this.view() };
  }
}
