import type { StoredEvent, Subscription } from './event-store';

/**
 * Tells waiting subscriptions that something was appended. A version counter closes the race
 * between "read found nothing" and "start waiting": a waiter passes the version it read at and
 * returns at once if an append came in between.
 */
export class AppendSignal {
  private version = 0;
  private waiters: Array<() => void> = [];

  get current(): number {
    return this.version;
  }

  notify(): void {
    this.version += 1;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Stops waiting: a closed subscription leaves nothing behind in the signal. */
  forget(wake: () => void): void {
    this.waiters = this.waiters.filter((waiter) => waiter !== wake);
  }

  /** Resolves after an append later than `seenVersion`, or when `wake` is called. */
  changedSince(seenVersion: number): { promise: Promise<void>; wake: () => void } {
    let wake = () => {};
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
    });
    if (this.version !== seenVersion) wake();
    else this.waiters.push(wake);
    return { promise, wake };
  }
}

/** Reads up to `max` events after position `after`, in position order. */
export type ReadPage = (after: bigint, max: number) => readonly StoredEvent[];

const PAGE_SIZE = 512;

/**
 * Catch-up then live over any store that can read a page after a position and signal appends:
 * the sqlite and memory adapters share it. Resuming from a checkpoint is just starting after it.
 */
export class CatchUpSubscription implements Subscription {
  private page: readonly StoredEvent[] = [];
  private index = 0;
  private closed = false;
  /** One per `next()` waiting for an append: close() must release every one. */
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly readPage: ReadPage,
    private readonly signal: AppendSignal,
    private checkpoint: bigint,
    private readonly onClose: (subscription: CatchUpSubscription) => void = () => {},
  ) {}

  async next(): Promise<IteratorResult<StoredEvent>> {
    while (!this.closed) {
      if (this.index < this.page.length) {
        const event = this.page[this.index++] as StoredEvent;
        this.checkpoint = event.position;
        return { value: event, done: false };
      }
      const seen = this.signal.current;
      this.page = this.readPage(this.checkpoint, PAGE_SIZE);
      this.index = 0;
      if (this.page.length > 0) continue;
      const { promise, wake } = this.signal.changedSince(seen);
      this.waiting.add(wake);
      await promise;
      this.waiting.delete(wake);
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<StoredEvent>> {
    this.close();
    return { value: undefined, done: true };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.page = [];
    for (const wake of this.waiting) {
      this.signal.forget(wake);
      wake();
    }
    this.onClose(this);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
