import type { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { Max, Min } from 'class-validator';
import { badUserInput } from '../common/errors';
import { PageInfo } from './types';

/** A page is at most this long: a phone client pages, a dashboard pages more. */
export const PAGE_SIZE_LIMIT = 100;

/**
 * Relay cursor connections, paged forwards. The cursor is opaque to clients: it wraps the row's
 * `seq` — the store position of the event that created the row — so pages stay stable while
 * rows are added.
 */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export function ConnectionType<T>(node: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int) totalCount: number;
  }
  return ConnectionClass;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20 })
  @Min(1)
  @Max(PAGE_SIZE_LIMIT)
  first: number = 20;

  @Field(() => String, { nullable: true })
  after?: string;
}

const encode = (seq: number) => Buffer.from(`seq:${seq}`).toString('base64url');

/** The seq after which a page starts: 0 without a cursor. */
export function afterSeq(after: string | undefined): number {
  if (after === undefined || after === null) return 0;
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(after, 'base64url').toString());
  if (match === null) throw badUserInput('after', 'not a cursor this API issued');
  return Number(match[1]);
}

/** `rows` is one more than the page (fetched with LIMIT first + 1), ordered by seq. */
export function connectionOf<R extends { seq: number }, T>(
  rows: readonly R[],
  args: PageArgs,
  totalCount: number,
  toNode: (row: R) => T,
): Connection<T> {
  const page = rows.slice(0, args.first);
  const edges = page.map((row) => ({ cursor: encode(row.seq), node: toNode(row) }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > args.first,
      hasPreviousPage: afterSeq(args.after) > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
