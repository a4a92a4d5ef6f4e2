/**
 * The page as the network: it relays updates and carets between the editors that
 * are online. An editor coming back online swaps versions with each online peer and
 * each side sends exactly what the other lacks, as a sync server would.
 */
import type { Editor, Network } from "./editor/editor.js";

export class Hub implements Network {
  readonly editors: Editor[] = [];

  publish(from: Editor, update: Uint8Array): void {
    if (!from.online) return;
    for (const peer of this.#online(from)) peer.receive(update);
  }

  announce(from: Editor, cursor: Uint8Array): void {
    if (!from.online) return;
    for (const peer of this.#online(from)) peer.showPeer({ name: from.name, color: from.color, cursor });
  }

  async setOnline(editor: Editor, online: boolean): Promise<void> {
    if (editor.online === online) return;
    editor.online = online;
    const peers = this.#online(editor);
    if (!online) {
      editor.hidePeers();
      for (const peer of peers) peer.hidePeer(editor.name);
      return;
    }
    await Promise.all(peers.map((peer) => this.#exchange(editor, peer)));
    editor.announce();
    for (const peer of peers) peer.announce();
  }

  /** Each side sends what the other's version lacks. */
  async #exchange(a: Editor, b: Editor): Promise<void> {
    const [va, vb] = await Promise.all([a.version(), b.version()]);
    const [forB, forA] = await Promise.all([a.changesSince(vb), b.changesSince(va)]);
    b.receive(forB);
    a.receive(forA);
  }

  #online(except: Editor): Editor[] {
    return this.editors.filter((e) => e !== except && e.online);
  }
}
