import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor';

/**
 * What every event a command appends records about how it came about: who gave it, through which
 * client, in which conversation (correlation) and because of what (causation: the command itself,
 * or the event a follow-on command reacts to).
 */
export interface CommandContext {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  /** The client channel: `x-cunyi-channel` (e.g. phone, web, cli); `unknown` when not given. */
  readonly channel: string;
}

const CHANNEL = /^[a-z][a-z0-9-]{0,31}$/;
const CORRELATION = /^[A-Za-z0-9._:-]{1,128}$/;

export function commandContext(
  actor: Actor,
  headers: { correlationId?: string; channel?: string } = {},
): CommandContext {
  const channel = headers.channel?.toLowerCase();
  const causationId = randomUUID();
  return {
    actor,
    correlationId:
      headers.correlationId !== undefined && CORRELATION.test(headers.correlationId)
        ? headers.correlationId
        : causationId,
    causationId,
    channel: channel !== undefined && CHANNEL.test(channel) ? channel : 'unknown',
  };
}

/** A follow-on command caused by an event (e.g. the proposal resolved from the meeting's decision). */
export function causedBy(context: CommandContext, eventId: string): CommandContext {
  return { ...context, causationId: eventId };
}
