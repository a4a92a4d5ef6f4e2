// Worker entry: loads the WASM core and serves one replica to the page over comlink.
import type { WeftBackend } from "@weft/sdk";
import init, * as wasm from "@weft/wasm/web";
import * as Comlink from "comlink";
import { Replica } from "./replica.js";

const backend: WeftBackend = wasm;
// Listen before the core has loaded: a message that arrived while WebAssembly was
// instantiating would otherwise be lost.
const loaded = init();

const api = {
  async open(replica: bigint): Promise<Replica & Comlink.ProxyMarked> {
    await loaded;
    return Comlink.proxy(new Replica(backend, replica));
  },
};

export type WorkerApi = typeof api;

Comlink.expose(api);
