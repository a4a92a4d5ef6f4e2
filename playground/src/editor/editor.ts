/**
 * One rich-text editor backed by its own replica in its own worker. Every input is
 * cancelled and replayed on the core; the surface is then re-rendered from the
 * core's runs, so what is shown is always what the replica holds. Inputs, incoming
 * updates and renders run one at a time (see Serial), so indices read from the DOM
 * always refer to the text the core has.
 */
import type { DeltaRun } from "@weft/sdk/backend";
import * as Comlink from "comlink";
import type { Selection, View } from "../protocol.js";
import { Serial } from "../serial.js";
import type { WorkerApi } from "../worker/main.js";
import { type ButtonName, buildChrome, type Chrome } from "./chrome.js";
import { readSelection, writeSelection } from "./dom.js";
import { fromInput, fromKey, type Intent, type Move, moveOf } from "./intent.js";
import { plan } from "./plan.js";
import { type Peer, Presence } from "./presence.js";
import { marked, renderRuns } from "./render.js";

/** How an editor reaches the others: the page relays between online editors. */
export interface Network {
  publish(from: Editor, update: Uint8Array): void;
  announce(from: Editor, cursor: Uint8Array): void;
  setOnline(editor: Editor, online: boolean): Promise<void>;
}

type Remote = Awaited<ReturnType<Comlink.Remote<WorkerApi>["open"]>>;

/** What the test and a curious person in the console can read off an editor. */
export interface Snapshot {
  name: string;
  online: boolean;
  /** The text as the surface shows it. */
  shown: string;
  /** The replica's runs, read from the core. */
  runs: DeltaRun[];
  /** Peers' carets as drawn: name → index. */
  carets: Record<string, number>;
}

export class Editor {
  online = true;
  readonly chrome: Chrome;
  readonly #queue: Serial;
  readonly #presence: Presence;
  #view: View = { runs: [], comments: {}, canUndo: false, canRedo: false };
  #selection: Selection = { anchor: 0, focus: 0 };
  #inbox: Uint8Array[] = [];
  readonly #scheduled = new Set<string>();
  /** Whether someone has been in this editor: only then does it show its caret to the others. */
  #present = false;

  private constructor(
    readonly name: string,
    readonly color: string,
    private readonly replica: Remote,
    private readonly network: Network,
  ) {
    this.chrome = buildChrome(name, color);
    this.#queue = new Serial((error) => this.#fail(error));
    this.#presence = new Presence(this.chrome.root, this.chrome.frame);
    this.#listen();
  }

  /** Starts a worker, loads the core in it and opens a replica written as `replica`. */
  static async open(name: string, color: string, replica: bigint, network: Network): Promise<Editor> {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name });
    const api = Comlink.wrap<WorkerApi>(worker);
    const remote = await api.open(replica);
    const editor = new Editor(name, color, remote, network);
    editor.#render(await remote.view(), { anchor: 0, focus: 0 });
    editor.chrome.status.textContent = `replica ${replica.toString(16)}`;
    return editor;
  }

  /** Queues updates from a peer; they are imported together at the editor's next turn. */
  receive(update: Uint8Array): void {
    this.#inbox.push(update);
    this.#once("import", async () => {
      const batch = this.#inbox.splice(0);
      if (batch.length === 0) return;
      const placed = await this.replica.receive(batch, this.#currentSelection());
      this.#render(placed.view, placed.selection);
    });
  }

  version(): Promise<Uint8Array> {
    return this.replica.version();
  }

  changesSince(version: Uint8Array): Promise<Uint8Array> {
    return this.replica.changesSince(version);
  }

  showPeer(peer: Peer): void {
    this.#presence.set(peer);
    this.#schedulePresence();
  }

  hidePeer(name: string): void {
    this.#presence.delete(name);
    this.#schedulePresence();
  }

  hidePeers(): void {
    this.#presence.clear();
  }

  /** Sends this editor's caret to the others (on its next turn, so after pending edits). */
  announce(): void {
    if (!this.#present) return;
    this.#once("announce", async () => {
      const cursor = await this.replica.cursor(this.#selection.focus);
      if (this.online) this.network.announce(this, cursor);
    });
  }

  /** Waits for everything queued so far, then reads the editor's state. */
  async snapshot(): Promise<Snapshot> {
    await this.#queue.drained();
    const view = await this.replica.view();
    const carets: Record<string, number> = {};
    for (const caret of this.chrome.frame.querySelectorAll<HTMLElement>(".caret")) {
      carets[caret.dataset.peer ?? ""] = Number(caret.dataset.index);
    }
    const root = this.chrome.root;
    return { name: this.name, online: this.online, shown: indexText(root), runs: view.runs, carets };
  }

  /** Tasks finished so far; see Serial.done. */
  get done(): number {
    return this.#queue.done;
  }

  #listen(): void {
    const { root, buttons, online } = this.chrome;
    root.addEventListener("beforeinput", (event) => {
      // Composition (IME) input cannot be cancelled; everything else the core applies.
      if (event.inputType === "insertCompositionText") return;
      event.preventDefault();
      const intent = fromInput(event);
      if (intent) this.#do(intent);
    });
    root.addEventListener("keydown", (event) => {
      const intent = fromKey(event);
      if (intent) {
        event.preventDefault();
        this.#do(intent);
        return;
      }
      const move = moveOf(event);
      if (move && !this.#queue.idle) {
        event.preventDefault();
        this.#queue.run(() => this.#move(move));
      }
    });
    root.addEventListener("focus", () => {
      this.#present = true;
    });
    document.addEventListener("selectionchange", () => {
      // A re-render moves the selection of an editor without focus: that is no move of its caret.
      if (!this.#queue.idle || document.activeElement !== root) return;
      const selection = readSelection(root);
      if (!selection || sameSelection(selection, this.#selection)) return;
      this.#selection = selection;
      this.#showActiveMarks();
      this.announce();
    });
    const tools: Record<ButtonName, Intent> = {
      bold: { kind: "toggle", mark: "bold" },
      italic: { kind: "toggle", mark: "italic" },
      underline: { kind: "toggle", mark: "underline" },
      link: { kind: "link" },
      comment: { kind: "comment" },
      undo: { kind: "undo" },
      redo: { kind: "redo" },
    };
    for (const [name, intent] of Object.entries(tools)) {
      buttons[name as ButtonName].addEventListener("click", () => this.#do(intent));
    }
    online.addEventListener("change", () => {
      this.network.setOnline(this, online.checked).catch((error) => this.#fail(error));
    });
  }

  #do(intent: Intent): void {
    this.#queue.run(async () => {
      const edited = await this.#apply(intent, this.#currentSelection());
      if (!edited) return;
      this.#scheduleFlush();
      this.announce();
    });
  }

  /** A caret movement that waited for the edits before it to be rendered. */
  #move(move: Move): void {
    if (document.activeElement !== this.chrome.root) return;
    document.getSelection()?.modify(move.alter, move.direction, move.granularity);
    this.#selection = this.#currentSelection();
    this.announce();
  }

  /** Applies one intent to the core and renders the result; false if it changed nothing. */
  async #apply(intent: Intent, selection: Selection): Promise<boolean> {
    const step = plan(intent, selection, this.#view.runs, ask);
    if (!step) return false;
    if ("history" in step) {
      const done = step.history === "undo" ? await this.replica.undo() : await this.replica.redo();
      const at = done.caret ?? Math.min(selection.anchor, selection.focus);
      this.#render(done.view, { anchor: at, focus: at });
    } else {
      this.#render(await this.replica.edit(step.edit), step.after);
    }
    return true;
  }

  /** The selection on screen if this editor has the focus, else the one it last had. */
  #currentSelection(): Selection {
    const root = this.chrome.root;
    return (document.activeElement === root && readSelection(root)) || this.#selection;
  }

  #render(view: View, selection: Selection): void {
    const { root, buttons } = this.chrome;
    this.#view = view;
    this.#selection = selection;
    root.replaceChildren(renderRuns(view.runs, view.comments));
    // Only the focused editor owns the page's one selection.
    if (document.activeElement === root) writeSelection(root, selection);
    buttons.undo.disabled = !view.canUndo;
    buttons.redo.disabled = !view.canRedo;
    this.#showActiveMarks();
    this.#schedulePresence();
  }

  /** Presses the mark buttons the selection (or the character before the caret) carries. */
  #showActiveMarks(): void {
    const { anchor, focus } = this.#selection;
    const end = Math.max(anchor, focus);
    const start = anchor === focus ? end - 1 : Math.min(anchor, focus);
    for (const name of ["bold", "italic", "underline", "link"] as const) {
      const on = start >= 0 && marked(this.#view.runs, start, end, name);
      this.chrome.buttons[name].setAttribute("aria-pressed", String(on));
    }
  }

  /** Runs `task` at the editor's next turn unless it is already waiting for one. */
  #once(key: string, task: () => Promise<void>): void {
    if (this.#scheduled.has(key)) return;
    this.#scheduled.add(key);
    this.#queue.run(() => {
      this.#scheduled.delete(key);
      return task();
    });
  }

  /** Sends what changed since the last send to the online peers. */
  #scheduleFlush(): void {
    this.#once("flush", async () => {
      if (!this.online) return;
      this.network.publish(this, await this.replica.takeOutgoing());
    });
  }

  /** Re-resolves and redraws the peers' carets against the text as it is now. */
  #schedulePresence(): void {
    this.#once("presence", async () => {
      const peers = this.#presence.peers();
      const indices = peers.length ? await this.replica.resolve(peers.map((p) => p.cursor)) : [];
      this.#presence.draw(peers, indices);
    });
  }

  #fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof Error && "code" in error ? ` (${String(error.code)})` : "";
    this.chrome.status.textContent = `error${code}: ${message}`;
    this.chrome.status.classList.add("failed");
    console.error(`editor ${this.name}:`, error);
  }
}

/** Asks with the browser's own prompt: enough for a playground. */
function ask(what: "link" | "comment"): string | undefined {
  return (what === "link" ? prompt("Link to", "https://") : prompt("Comment")) ?? undefined;
}

function sameSelection(a: Selection, b: Selection): boolean {
  return a.anchor === b.anchor && a.focus === b.focus;
}

/** The surface's text exactly as indices count it. */
function indexText(root: HTMLElement): string {
  const range = document.createRange();
  range.selectNodeContents(root);
  return range.toString();
}
