// Page entry: three editors, each with its own core in its own worker, wired
// through the page.
import { Editor, type Snapshot } from "./editor/editor.js";
import { Hub } from "./hub.js";

const PEOPLE: [string, string][] = [
  ["Ada", "#d9480f"],
  ["Brendan", "#1971c2"],
  ["Chen", "#2f9e44"],
];

/** A random 64-bit replica id, as a fresh replica would pick. */
function replicaId(): bigint {
  const [high = 0, low = 0] = crypto.getRandomValues(new Uint32Array(2));
  return (BigInt(high) << 32n) | BigInt(low);
}

async function start(): Promise<void> {
  const hub = new Hub();
  const editors = await Promise.all(
    PEOPLE.map(([name, color]) => Editor.open(name, color, replicaId(), hub)),
  );
  hub.editors.push(...editors);
  document.querySelector("#editors")?.append(...editors.map((e) => e.chrome.panel));

  const playground = {
    editors,
    /** Every editor's state, read in a pass during which no editor did anything. */
    snapshot: async (): Promise<Snapshot[]> => {
      const work = () => editors.reduce((sum, e) => sum + e.done, 0);
      for (;;) {
        const before = work();
        const snapshots = await Promise.all(editors.map((e) => e.snapshot()));
        if (work() === before) return snapshots;
      }
    },
    setOnline: (name: string, online: boolean) => {
      const editor = editors.find((e) => e.name === name);
      if (!editor) throw new Error(`no editor named ${name}`);
      editor.chrome.online.checked = online;
      return hub.setOnline(editor, online);
    },
  };
  (globalThis as { playground?: typeof playground }).playground = playground;
  document.body.dataset.ready = "true";
}

start().catch((error) => {
  document.body.dataset.ready = "failed";
  console.error("the playground failed to start:", error);
});
