import type { EventStore, StoredEvent, Subscription } from '@cunyi/event-store';
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Projector } from './projector';
import { createCheckpointTable } from './read-database';

export interface ProjectionsOptions {
  /** Its checkpoint row: projections sharing a database each need their own. */
  readonly name?: string;
  /** Told when a projector throws; the projections have stopped by then. */
  readonly onError?: (error: unknown, event: StoredEvent) => void;
}

/** What a projector threw, with the event it choked on: the message alone must locate the fault. */
export class ProjectionFailed extends Error {
  constructor(
    readonly projector: string,
    readonly event: StoredEvent,
    cause: unknown,
  ) {
    super(
      `projector '${projector}' failed on event #${event.position} (${event.type}): ${messageOf(cause)}`,
      { cause },
    );
    this.name = 'ProjectionFailed';
  }
}

/** Big enough to replay quickly, small enough that a failed rebuild keeps most of its progress. */
const REBUILD_BATCH = 1000;

/**
 * Following the store, the events that have already arrived when one is applied go into the same
 * transaction, up to this many: a server catching up after a restart, or under an election day's
 * ballots, commits once per batch rather than once per event.
 */
const LIVE_BATCH = 500;

/** What Promise.race answers when the subscription has nothing more at hand. */
const NOTHING_AT_HAND = Symbol('nothing at hand');
const afterPendingIo = () =>
  new Promise<typeof NOTHING_AT_HAND>((resolve) => setImmediate(resolve, NOTHING_AT_HAND));

/** Resubscribing after a lost subscription: 0.5 s, doubling to at most 30 s. */
const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 30_000;

interface Run {
  readonly subscription: Subscription;
  readonly finished: Promise<void>;
}

interface Waiter {
  readonly target: bigint;
  readonly reached: () => void;
}

/**
 * Keeps a set of projectors' tables in step with the event store. Events are applied in
 * transactions that also move the checkpoint, so rows and checkpoint never disagree, and resuming
 * the subscription from the checkpoint never applies an event twice.
 */
export class Projections {
  private readonly name: string;
  private readonly onError: (error: unknown, event: StoredEvent) => void;
  private readonly readCheckpoint: Statement<[string], { position: string }>;
  private readonly writeCheckpoint: Statement<[string, string]>;
  private readonly commit: Transaction<(events: readonly StoredEvent[]) => void>;
  private readonly reset: Transaction<() => void>;
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private readonly waiters = new Set<Waiter>();
  private current: bigint;
  private run: Run | undefined;
  private rebuilding = false;
  /** Set by stop(): a subscription that ends then is not resumed. */
  private stopping = false;
  private retry: NodeJS.Timeout | undefined;
  private retryDelayMs = FIRST_RETRY_MS;

  constructor(
    private readonly store: EventStore,
    private readonly db: Database,
    private readonly projectors: readonly Projector[],
    options: ProjectionsOptions = {},
  ) {
    this.name = options.name ?? 'projections';
    this.onError = options.onError ?? ((error, event) => this.report(error, event));
    // A database not opened by openReadDatabase works too.
    createCheckpointTable(db);
    this.readCheckpoint = db.prepare('SELECT position FROM checkpoint WHERE name = ?');
    this.writeCheckpoint = db.prepare(
      `INSERT INTO checkpoint (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.commit = db.transaction((events: readonly StoredEvent[]) => this.applyAll(events));
    this.reset = db.transaction(() => this.emptyTables());
    this.current = this.loadCheckpoint();
  }

  /** The position of the last event applied (0n before any). */
  get position(): bigint {
    return this.current;
  }

  /** Subscribed and applying: false once stopped, or stopped by an event it could not apply. */
  get running(): boolean {
    return this.run !== undefined || this.retry !== undefined;
  }

  /**
   * Creates every projector's schema, then subscribes from the saved checkpoint. Resolves once
   * subscribed, not once caught up: see catchUp().
   */
  async start(): Promise<void> {
    this.assertIdle('start');
    this.stopping = false;
    this.createSchemas();
    this.current = this.loadCheckpoint();
    const subscription = this.store.subscribe({ fromPosition: this.current });
    this.run = { subscription, finished: this.consume(subscription) };
  }

  /** True once position >= target; false after timeoutMs. Never rejects. */
  waitFor(target: bigint, timeoutMs: number): Promise<boolean> {
    if (this.current >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const { reached, cancel } = this.until(target);
      const timer = setTimeout(() => {
        cancel();
        resolve(false);
      }, timeoutMs);
      reached.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Called for each event once its rows are committed (with those of the events that arrived
   * with it). Returns the unsubscribe function.
   */
  onApplied(listener: (event: StoredEvent) => void): () => void {
    // A wrapper per call: the same function registered twice is unsubscribed one at a time.
    const entry = (event: StoredEvent) => listener(event);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /**
   * Resolves once everything in the store, as of the call, is applied. Rejects if the projections
   * are not running, or stop before getting there, rather than wait forever.
   */
  async catchUp(): Promise<void> {
    const end = await this.endOfStore();
    if (this.current >= end) return;
    const run = this.run;
    if (!run) throw new Error(`projections '${this.name}' are not started`);
    const { reached, cancel } = this.until(end);
    const arrived = await Promise.race([reached.then(() => true), run.finished.then(() => false)]);
    cancel();
    if (!arrived && this.current < end) {
      throw new Error(
        `projections '${this.name}' stopped at #${this.current}, before reaching #${end}`,
      );
    }
  }

  /** Stops the subscription and waits for the event in hand to finish; idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    const run = this.run;
    if (!run) return;
    run.subscription.close();
    await run.finished;
  }

  /**
   * Offline: empties every projector's tables, then replays the whole store into them in batches.
   * Resolves with the number of events applied.
   */
  async rebuild(): Promise<number> {
    this.assertIdle('rebuild');
    this.rebuilding = true;
    try {
      this.createSchemas();
      this.reset();
      this.current = 0n;
      return await this.replay();
    } finally {
      this.rebuilding = false;
    }
  }

  private async consume(subscription: Subscription): Promise<void> {
    let failed = false;
    const events = subscription[Symbol.asyncIterator]();
    try {
      let next = events.next();
      for (;;) {
        const first = await next;
        if (first.done) break;
        const batch = [first.value];
        next = events.next();
        while (batch.length < LIVE_BATCH) {
          const ready = await Promise.race([next, afterPendingIo()]);
          if (ready === NOTHING_AT_HAND || ready.done) break;
          batch.push(ready.value);
          next = events.next();
        }
        // An event received but not applied (the subscription failed first) is not lost: the
        // checkpoint has not passed it, and resubscribing delivers it again.
        if (!this.applyLive(batch)) break;
        this.retryDelayMs = FIRST_RETRY_MS;
      }
    } catch (error) {
      failed = true;
      console.error(
        `projections '${this.name}': the subscription failed after #${this.current}; resubscribing in ${this.retryDelayMs} ms`,
        error,
      );
    } finally {
      this.run = undefined;
    }
    // A lost connection (an EventStoreDB leader change, a network blip) is resumed from the
    // checkpoint, backing off; an event that cannot be applied is not: skipping it would be wrong.
    if (failed && !this.stopping) this.resubscribeLater();
  }

  private resubscribeLater(): void {
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.stopping) return;
      const subscription = this.store.subscribe({ fromPosition: this.current });
      this.run = { subscription, finished: this.consume(subscription) };
    }, this.retryDelayMs);
    this.retry.unref();
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, LAST_RETRY_MS);
  }

  /**
   * False when an event could not be applied: skipping it would leave the rows silently wrong.
   * A batch that fails is applied again one event at a time, so the events before the one at
   * fault are kept and the error names that event.
   */
  private applyLive(events: readonly StoredEvent[]): boolean {
    try {
      this.commit(events);
    } catch (error) {
      if (events.length > 1) return events.every((event) => this.applyLive([event]));
      this.onError(error, events[0] as StoredEvent);
      return false;
    }
    this.advance((events.at(-1) as StoredEvent).position);
    for (const event of events) this.notify(event);
    return true;
  }

  private async replay(): Promise<number> {
    let batch: StoredEvent[] = [];
    let applied = 0;
    for await (const event of this.store.readAll()) {
      batch.push(event);
      if (batch.length === REBUILD_BATCH) {
        applied += this.applyBatch(batch);
        batch = [];
      }
    }
    return applied + this.applyBatch(batch);
  }

  private applyBatch(events: readonly StoredEvent[]): number {
    const last = events.at(-1);
    if (!last) return 0;
    this.commit(events);
    this.advance(last.position);
    return events.length;
  }

  /** The body of the transaction: every projector's rows, then the checkpoint. */
  private applyAll(events: readonly StoredEvent[]): void {
    for (const event of events) {
      for (const projector of this.projectors) {
        try {
          projector.apply(this.db, event);
        } catch (error) {
          throw new ProjectionFailed(projector.name, event, error);
        }
      }
    }
    const last = events.at(-1);
    if (last) this.saveCheckpoint(last.position);
  }

  private emptyTables(): void {
    // Tables are emptied in the order given; deferring the checks lets children follow parents.
    this.db.pragma('defer_foreign_keys = ON');
    for (const projector of this.projectors) {
      for (const table of projector.tables) this.db.exec(`DELETE FROM ${quoted(table)}`);
    }
    this.saveCheckpoint(0n);
  }

  private createSchemas(): void {
    for (const projector of this.projectors) this.db.exec(projector.schema);
  }

  private loadCheckpoint(): bigint {
    const row = this.readCheckpoint.get(this.name);
    return row ? BigInt(row.position) : 0n;
  }

  private saveCheckpoint(position: bigint): void {
    this.writeCheckpoint.run(this.name, position.toString());
  }

  private advance(position: bigint): void {
    this.current = position;
    for (const waiter of this.waiters) {
      if (waiter.target <= position) waiter.reached();
    }
  }

  private notify(event: StoredEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error(`projections '${this.name}': an onApplied listener threw`, error);
      }
    }
  }

  /** A promise for reaching `target`; cancel() forgets it, so abandoned waits do not pile up. */
  private until(target: bigint): { reached: Promise<void>; cancel: () => void } {
    const waiters = this.waiters;
    let cancel = () => {};
    const reached = new Promise<void>((resolve) => {
      const waiter: Waiter = {
        target,
        reached: () => {
          waiters.delete(waiter);
          resolve();
        },
      };
      waiters.add(waiter);
      cancel = () => waiters.delete(waiter);
    });
    return { reached, cancel };
  }

  /** The store exposes no "last position": read the tail past what is already applied. */
  private async endOfStore(): Promise<bigint> {
    let end = this.current;
    for await (const event of this.store.readAll({ fromPosition: this.current })) {
      end = event.position;
    }
    return end;
  }

  /** Two appliers on one set of tables would apply events twice. */
  private assertIdle(action: string): void {
    if (this.run || this.rebuilding) {
      throw new Error(`projections '${this.name}': cannot ${action} while running or rebuilding`);
    }
  }

  private report(error: unknown, event: StoredEvent): void {
    console.error(
      `projections '${this.name}' stopped at event #${event.position} (${event.type}); it was not applied`,
      error,
    );
  }
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
