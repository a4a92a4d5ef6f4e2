/**
 * Other editors' carets, drawn over this editor's text. A peer sends its caret as an
 * encoded stable cursor; this replica resolves it to an index in its own text, so
 * the caret stays on the same character whatever either side has typed since.
 */
import { caretBox } from "./dom.js";

export interface Peer {
  name: string;
  color: string;
  cursor: Uint8Array;
}

export class Presence {
  readonly #peers = new Map<string, Peer>();
  readonly #layer: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    frame: HTMLElement,
  ) {
    this.#layer = document.createElement("div");
    this.#layer.className = "carets";
    frame.append(this.#layer);
  }

  set(peer: Peer): void {
    this.#peers.set(peer.name, peer);
  }

  delete(name: string): void {
    this.#peers.delete(name);
  }

  clear(): void {
    this.#peers.clear();
    this.#layer.replaceChildren();
  }

  peers(): Peer[] {
    return [...this.#peers.values()];
  }

  /** Draws each peer at its resolved index (null: not placeable here yet, so hidden). */
  draw(peers: Peer[], indices: (number | null)[]): void {
    const frame = this.#layer.parentElement as HTMLElement;
    this.#layer.replaceChildren(
      ...peers.flatMap((peer, i) => {
        const index = indices[i];
        if (index === null || index === undefined || !this.#peers.has(peer.name)) return [];
        const box = caretBox(this.root, frame, index);
        const caret = document.createElement("div");
        caret.className = "caret";
        caret.dataset.peer = peer.name;
        caret.dataset.index = String(index);
        caret.style.cssText = `left:${box.left}px;top:${box.top}px;height:${box.height}px;--peer:${peer.color}`;
        const label = document.createElement("span");
        label.textContent = peer.name;
        caret.append(label);
        return [caret];
      }),
    );
  }
}
