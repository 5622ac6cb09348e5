/**
 * Specifications for deciders, read as the law reads:
 *   given([events]).when(command).then([events])
 *   given([events]).when(command).thenRefuses('ALREADY_VOTED', 'A4')
 * Test support only (uses Jest's expect); never imported by production code.
 */

import type { RuleId } from '../rule-book/vcol-2018';
import type { Command, Decider, DomainEvent } from '../shared/decider';
import { fold } from '../shared/decider';
import { DomainError, type DomainErrorCode } from '../shared/domain-error';

type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export function specification<C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
) {
  return {
    given(history: readonly E[]) {
      const state = fold(decider, history);
      return {
        when(command: C) {
          const decide = () => decider.decide(command, state);
          return {
            // biome-ignore lint/suspicious/noThenProperty: `.then([events])` is the specification's own word; nothing awaits this object.
            then(expected: readonly E[]): void {
              expect(decide()).toEqual(expected);
            },
            /** For outcomes whose every field need not be spelled out. */
            thenMatches(expected: readonly DeepPartial<E>[]): void {
              expect(decide()).toMatchObject(expected);
            },
            thenRefuses(code: DomainErrorCode, ruleId?: RuleId): void {
              let refusal: unknown;
              try {
                decide();
              } catch (error) {
                refusal = error;
              }
              expect(refusal).toBeInstanceOf(DomainError);
              expect({
                code: (refusal as DomainError).code,
                ruleId: (refusal as DomainError).ruleId,
              }).toEqual({
                code,
                ruleId,
              });
            },
            /** The events decided, for tests that go on from them. */
            events(): E[] {
              return decide();
            },
          };
        },
      };
    },
  };
}
