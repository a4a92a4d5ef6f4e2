// The libraries compared, Weft-WASM first (the baseline of every ratio). Each module
// is imported only in the child process that measures it, so one library's memory
// never shows up in another's figures.
export const LIBS = [
  "weft-wasm",
  "weft-node",
  "yjs",
  "ywasm",
  "automerge",
  "loro",
  "diamond-types",
  "json-joy",
];
export const BASELINE = "weft-wasm";

export async function loadLib(name) {
  if (!LIBS.includes(name)) throw new Error(`unknown library ${name} (one of ${LIBS.join(", ")})`);
  const lib = (await import(`./${name}.mjs`)).default;
  if (lib.init) await lib.init();
  return lib;
}
