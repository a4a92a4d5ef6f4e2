/**
 * Runs tasks one after another. An editor reads its selection, edits the core and
 * re-renders as one task, so every index it computes refers to what is on screen.
 */
export class Serial {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;
  #done = 0;

  constructor(private readonly onError: (error: unknown) => void) {}

  run(task: () => Promise<void> | void): void {
    this.#pending++;
    this.#tail = this.#tail
      .then(task)
      .catch(this.onError)
      .finally(() => {
        this.#pending--;
        this.#done++;
      });
  }

  get idle(): boolean {
    return this.#pending === 0;
  }

  /** How many tasks have finished: unchanged across a wait means nothing ran in it. */
  get done(): number {
    return this.#done;
  }

  /** Resolves once every task queued so far has run. */
  drained(): Promise<void> {
    return this.#tail;
  }
}
