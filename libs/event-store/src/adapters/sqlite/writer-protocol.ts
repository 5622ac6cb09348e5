import type { ExpectedRevision } from '../../event-store';

/** Messages between the SqliteEventStore (main thread) and its writer thread. */

export interface EncodedEvent {
  readonly id: string;
  readonly type: string;
  /** JSON text, encoded on the caller's thread so the writer only inserts. */
  readonly data: string;
  readonly metadata: string;
}

export interface AppendRequest {
  readonly requestId: number;
  readonly stream: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly EncodedEvent[];
}

export type ToWriter =
  | { readonly kind: 'append'; readonly requests: readonly AppendRequest[] }
  | { readonly kind: 'close' };

export interface AppendFailure {
  readonly code: 'WRONG_EXPECTED_REVISION' | 'DUPLICATE_EVENT_ID' | 'STORAGE_FAILURE';
  readonly message: string;
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly actual?: bigint | 'no_stream';
  readonly eventId?: string;
}

export type AppendOutcome =
  | { readonly requestId: number; readonly nextRevision: bigint; readonly position: bigint }
  | { readonly requestId: number; readonly failure: AppendFailure };

export type FromWriter =
  | { readonly kind: 'ready' }
  | { readonly kind: 'open-failed'; readonly message: string }
  /** One message per committed batch: the group commit's acknowledgements. */
  | { readonly kind: 'committed'; readonly outcomes: readonly AppendOutcome[] }
  | { readonly kind: 'closed' };
