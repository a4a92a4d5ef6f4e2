/**
 * Hosts the core in a Web Worker: the worker owns the documents and the page talks
 * to it through comlink, so CRDT work never blocks the main thread.
 */
import * as Comlink from "comlink";
import type { CoreDoc, WeftBackend, WeftValue } from "../backend.js";

/** The API a worker exposes; every call crosses the thread boundary. */
export class CoreHost {
  readonly #backend: WeftBackend;
  readonly #docs = new Map<string, CoreDoc>();

  constructor(backend: WeftBackend) {
    this.#backend = backend;
  }

  coreVersion(): string {
    return this.#backend.coreVersion();
  }

  /** Opens (or creates) the document `id`, written to as `replica`. */
  open(id: string, replica: bigint): void {
    if (!this.#docs.has(id)) this.#docs.set(id, new this.#backend.WeftDoc(replica));
  }

  set(id: string, key: string, value: WeftValue): void {
    this.#doc(id).set(key, value);
  }

  get(id: string, key: string): unknown {
    return this.#doc(id).get(key);
  }

  keys(id: string): string[] {
    return this.#doc(id).keys();
  }

  exportSnapshot(id: string): Uint8Array {
    const bytes = this.#doc(id).exportSnapshot();
    // Hand the buffer over instead of copying it.
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  }

  import(id: string, bytes: Uint8Array): void {
    this.#doc(id).import(bytes);
  }

  #doc(id: string): CoreDoc {
    const doc = this.#docs.get(id);
    if (!doc) throw new Error(`document "${id}" is not open in this worker: call open() first`);
    return doc;
  }
}

/** Sent by the worker once the core is loaded and listening. */
const READY = "weft:core-ready";

/**
 * Call inside a worker once the core is loaded: serves it to whoever holds the
 * other end, then tells them it is ready.
 */
export function exposeCore(
  backend: WeftBackend,
  endpoint: Comlink.Endpoint = globalThis as unknown as Comlink.Endpoint,
): CoreHost {
  const host = new CoreHost(backend);
  Comlink.expose(host, endpoint);
  endpoint.postMessage(READY);
  return host;
}

/**
 * Call on the page: a typed proxy to the core running in `worker`, resolved once
 * the worker has loaded the core. Calls made before that would be lost, because a
 * worker that is still instantiating WebAssembly has no message listener yet.
 */
export function connectCore(worker: Comlink.Endpoint): Promise<Comlink.Remote<CoreHost>> {
  return new Promise((resolve, reject) => {
    const onMessage = (event: Event) => {
      if ((event as MessageEvent).data !== READY) return;
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      resolve(Comlink.wrap<CoreHost>(worker));
    };
    const onError = (event: Event) => {
      worker.removeEventListener("message", onMessage);
      worker.removeEventListener("error", onError);
      reject(
        new Error(`the core worker failed to start: ${(event as ErrorEvent).message ?? "unknown error"}`),
      );
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", onError);
  });
}
