/**
 * The bytes a stored event is logged as. The leaf must be the same wherever and whenever it is
 * computed — by the server, by `audit verify` years later, by an auditor's own tool — so it is
 * RFC 8785 (JSON Canonicalization Scheme) over the fields that are the event, nothing the store
 * assigns: its stream and revision (the revision as a decimal string, as JSON numbers cannot hold
 * every 64-bit one), its id and type, its data and metadata. The global position is left out: it
 * is the leaf's index, and differs between SQLite and EventStoreDB; so is the commit time.
 */

/** What a log leaf is made of: the fields every adapter's stored events carry. */
export interface LoggedEvent {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

export class NotCanonicalisable extends Error {
  readonly code = 'NOT_CANONICALISABLE';
  constructor(what: string) {
    super(`cannot canonicalise ${what}: RFC 8785 covers JSON values only`);
    this.name = 'NotCanonicalisable';
  }
}

export function canonicalEventBytes(event: LoggedEvent): Buffer {
  const { stream, revision, id, type, data, metadata } = event;
  return Buffer.from(
    canonicalJson({ data, id, metadata, revision: revision.toString(), stream, type }),
    'utf8',
  );
}

/**
 * RFC 8785: object members sorted by their names' UTF-16 code units (what Array.prototype.sort
 * compares), no whitespace, strings and numbers as ECMAScript's JSON.stringify writes them (§3.2.2
 * defines them so). Members whose value is undefined are absent, as in JSON.stringify.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotCanonicalisable(String(value));
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (typeof value === 'object') {
    const members = Object.keys(value)
      .filter((name) => (value as Record<string, unknown>)[name] !== undefined)
      .sort()
      .map(
        (name) =>
          `${JSON.stringify(name)}:${canonicalJson((value as Record<string, unknown>)[name])}`,
      );
    return `{${members.join(',')}}`;
  }
  throw new NotCanonicalisable(`a ${typeof value}`);
}
