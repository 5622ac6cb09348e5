/**
 * Elections to the village's offices: the representatives, the committee, the supervision
 * committee. R1 and R2 are judged and recorded, never refused here: an election records whom
 * the villagers chose. A representatives' assembly cannot sit while R1 fails; the meeting enforces
 * that from `representativesAssembly`.
 */
import { RULE_BOOK_VERSION, representationWarning } from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { dateOf } from '../shared/time';
import { requireIds, requireInstant } from '../shared/validate';
import type { ElectCommittee, ElectRepresentatives, ElectSupervisionCommittee } from './commands';
import type {
  CommitteeElected,
  RepresentativesElected,
  SupervisionCommitteeElected,
} from './events';
import { requireElectable, requireVillage } from './guards';
import { isActive, judgeSeats, rollOn, seatsOf } from './roll';
import type { Villager, VillageState } from './state';

const activeMembers = (state: VillageState, ids: readonly string[]): Villager[] =>
  ids.map((id) => state.villagers.get(id)).filter(isActive);

const withWarnings = (warnings: readonly string[]) => (warnings.length > 0 ? { warnings } : {});

export function electRepresentatives(
  { villageId, representativeIds, at }: ElectRepresentatives['data'],
  state: VillageState,
): RepresentativesElected[] {
  requireIds(representativeIds, 'representativeIds');
  requireInstant(at, 'at');
  requireVillage(state, villageId);
  requireElectable(state, representativeIds, at);
  const households = rollOn(state, dateOf(at)).households.length;
  const warning = representationWarning(households, representativeIds.length);
  return [
    {
      type: 'RepresentativesElected',
      data: {
        villageId,
        representativeIds,
        judgements: judgeSeats(seatsOf(state, state.committeeIds, representativeIds)),
        ...withWarnings(warning === undefined ? [] : [warning]),
        ruleBook: RULE_BOOK_VERSION,
        rules: ['E1', 'R1', 'R2'],
        at,
      },
    },
  ];
}

export function electCommittee(
  { villageId, memberIds, at }: ElectCommittee['data'],
  state: VillageState,
): CommitteeElected[] {
  requireIds(memberIds, 'memberIds');
  requireInstant(at, 'at');
  requireVillage(state, villageId);
  const members = requireElectable(state, memberIds, at);
  const supervision = activeMembers(state, state.supervisionIds);
  const onBoth = supervision.find((supervisor) => memberIds.includes(supervisor.villagerId));
  if (onBoth !== undefined) {
    refuse(
      'CONFLICT_OF_INTEREST',
      `${onBoth.villagerId} sits on the supervision committee and cannot join the committee`,
      'P4',
    );
  }
  // P4 bars the relative from the supervision committee, not the committee member from office:
  // the committee election stands, and the conflict is put on record for the assembly to resolve.
  const warnings = supervision.flatMap((supervisor) =>
    members
      .filter((member) => member.householdId === supervisor.householdId)
      .map(
        (member) =>
          `P4: supervision committee member ${supervisor.villagerId} shares household ${member.householdId} with committee member ${member.villagerId}`,
      ),
  );
  return [
    {
      type: 'CommitteeElected',
      data: {
        villageId,
        memberIds,
        judgements: judgeSeats(seatsOf(state, memberIds, state.representativeIds)),
        ...withWarnings(warnings),
        ruleBook: RULE_BOOK_VERSION,
        rules: ['E1', 'P4', 'R1'],
        at,
      },
    },
  ];
}

export function electSupervisionCommittee(
  { villageId, memberIds, at }: ElectSupervisionCommittee['data'],
  state: VillageState,
): SupervisionCommitteeElected[] {
  requireIds(memberIds, 'memberIds');
  requireInstant(at, 'at');
  requireVillage(state, villageId);
  const members = requireElectable(state, memberIds, at);
  const committee = activeMembers(state, state.committeeIds);
  for (const member of members) {
    if (committee.some((sitting) => sitting.villagerId === member.villagerId)) {
      refuse('CONFLICT_OF_INTEREST', `${member.villagerId} sits on the committee`, 'P4');
    }
    // P4 bars committee members' close relatives (近亲属). The roll records no kinship, so
    // sharing a household with a committee member is the close-relative test we can make.
    const relative = committee.find((sitting) => sitting.householdId === member.householdId);
    if (relative !== undefined) {
      refuse(
        'CONFLICT_OF_INTEREST',
        `${member.villagerId} shares household ${member.householdId} with committee member ${relative.villagerId}`,
        'P4',
      );
    }
  }
  return [
    {
      type: 'SupervisionCommitteeElected',
      data: { villageId, memberIds, ruleBook: RULE_BOOK_VERSION, rules: ['E1', 'P4'], at },
    },
  ];
}
