import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import { petitionDecider } from './petition.decider';
import {
  decided,
  history,
  ids,
  LATER,
  PETITION_ID,
  STARTED_AT,
  sign,
  startPetition,
} from './petition.fixtures';

const petition = specification(petitionDecider);
const villagers = ids('v', 95);
const representatives = ids('r', 23);

describe('the threshold a petition needs', () => {
  it('A2: 1/10 of 95 villagers is 10 signatures, fixed when the petition starts', () => {
    petition
      .given([])
      .when(startPetition('CONVENE_ASSEMBLY', 'VILLAGERS', villagers))
      .then([
        {
          type: 'PetitionStarted',
          data: {
            petitionId: PETITION_ID,
            villageId: 'village-1',
            purpose: 'CONVENE_ASSEMBLY',
            signatories: 'VILLAGERS',
            subject: 'Convene the assembly on the village road repairs',
            eligible: villagers,
            threshold: { ruleId: 'A2', required: 10, of: 95 },
            startedBy: 'v1',
            ruleBook: RULE_BOOK_VERSION,
            rules: ['A2'],
            at: STARTED_AT,
          },
        },
      ]);
  });

  it('A2: 1/10 of 95 villagers is 10 signatures — 9 do not reach it', () => {
    const start = startPetition('CONVENE_ASSEMBLY', 'VILLAGERS', villagers);
    petition
      .given(history(start, ids('v', 8)))
      .when(sign('v9'))
      .then([
        {
          type: 'PetitionSigned',
          data: { petitionId: PETITION_ID, villagerId: 'v9', signatures: 9, at: LATER },
        },
      ]);
  });

  it('A2: the 10th of 95 villagers reaches it, and the committee must convene the assembly', () => {
    const start = startPetition('CONVENE_ASSEMBLY', 'VILLAGERS', villagers);
    petition
      .given(history(start, ids('v', 9)))
      .when(sign('v10'))
      .then([
        {
          type: 'PetitionSigned',
          data: { petitionId: PETITION_ID, villagerId: 'v10', signatures: 10, at: LATER },
        },
        {
          type: 'PetitionThresholdReached',
          data: {
            petitionId: PETITION_ID,
            villageId: 'village-1',
            purpose: 'CONVENE_ASSEMBLY',
            duty: 'CONVENE_VILLAGERS_ASSEMBLY',
            dueSince: LATER,
            ruleId: 'A2',
            judgements: [{ ruleId: 'A2', met: true, actual: 10, required: 10, of: 95 }],
            ruleBook: RULE_BOOK_VERSION,
            rules: ['A2'],
            at: LATER,
          },
        },
      ]);
  });

  it('A2: 1/10 of 100 villagers is exactly 10 (以上 includes the number itself)', () => {
    const start = startPetition('CONVENE_ASSEMBLY', 'VILLAGERS', ids('v', 100));
    expect(history(start)[0]).toMatchObject({ data: { threshold: { required: 10, of: 100 } } });
    expect(decided(history(start, ids('v', 9)), sign('v10'))).toMatchObject([
      { type: 'PetitionSigned' },
      { type: 'PetitionThresholdReached' },
    ]);
  });

  it('A2: 1/3 of 30 representatives may also make the committee convene the assembly', () => {
    const start = startPetition('CONVENE_ASSEMBLY', 'REPRESENTATIVES', ids('r', 30));
    expect(decided(history(start, ids('r', 8)), sign('r9'))).toMatchObject([
      { type: 'PetitionSigned' },
    ]);
    expect(decided(history(start, ids('r', 9)), sign('r10'))).toMatchObject([
      { type: 'PetitionSigned' },
      {
        type: 'PetitionThresholdReached',
        data: { duty: 'CONVENE_VILLAGERS_ASSEMBLY', ruleId: 'A2' },
      },
    ]);
  });

  it('A2: a proposed item takes the assembly threshold, and the committee must table it', () => {
    const start = startPetition('PROPOSE_ITEM', 'VILLAGERS', villagers);
    expect(decided(history(start, ids('v', 9)), sign('v10'))).toMatchObject([
      { type: 'PetitionSigned' },
      { type: 'PetitionThresholdReached', data: { duty: 'TABLE_ITEM', ruleId: 'A2' } },
    ]);
  });

  it('R3: 1/5 of 23 representatives is 5 signatures — 4 do not reach it, the 5th convenes their assembly', () => {
    const start = startPetition('CONVENE_REPRESENTATIVES', 'REPRESENTATIVES', representatives);
    expect(history(start)[0]).toMatchObject({
      data: { threshold: { ruleId: 'R3', required: 5, of: 23 } },
    });
    expect(decided(history(start, ids('r', 3)), sign('r4'))).toMatchObject([
      { type: 'PetitionSigned', data: { signatures: 4 } },
    ]);
    expect(decided(history(start, ids('r', 4)), sign('r5'))).toMatchObject([
      { type: 'PetitionSigned', data: { signatures: 5 } },
      {
        type: 'PetitionThresholdReached',
        data: {
          duty: 'CONVENE_REPRESENTATIVES_ASSEMBLY',
          ruleId: 'R3',
          judgements: [{ ruleId: 'R3', met: true, actual: 5, required: 5, of: 23 }],
        },
      },
    ]);
  });

  it("R3: villagers cannot petition for the representatives' assembly", () => {
    petition
      .given([])
      .when(startPetition('CONVENE_REPRESENTATIVES', 'VILLAGERS', villagers))
      .thenRefuses('INVALID_INPUT', 'R3');
  });

  it('E5: a recall petition needs 1/5 of voters — 18 of 95 do not reach it, 19 do', () => {
    const start = startPetition('RECALL', 'VILLAGERS', villagers);
    expect(history(start)[0]).toMatchObject({
      data: {
        threshold: { ruleId: 'E5', required: 19, of: 95 },
        recall: { memberId: 'c-2', reasons: 'Missed-work allowance paid without a decision' },
      },
    });
    expect(decided(history(start, ids('v', 17)), sign('v18'))).toMatchObject([
      { type: 'PetitionSigned', data: { signatures: 18 } },
    ]);
    expect(decided(history(start, ids('v', 18)), sign('v19'))).toMatchObject([
      { type: 'PetitionSigned', data: { signatures: 19 } },
      { type: 'PetitionThresholdReached', data: { duty: 'HOLD_RECALL_VOTE', ruleId: 'E5' } },
    ]);
  });

  it('E5: a recall by representatives needs 1/3 of them', () => {
    const start = startPetition('RECALL', 'REPRESENTATIVES', representatives);
    expect(history(start)[0]).toMatchObject({
      data: { threshold: { ruleId: 'E5', required: 8, of: 23 } },
    });
  });

  it('E5: a recall petition must state its reasons', () => {
    const start = startPetition('RECALL', 'VILLAGERS', villagers);
    petition
      .given([])
      .when({ ...start, data: { ...start.data, recall: { memberId: 'c-2', reasons: ' ' } } })
      .thenRefuses('INVALID_INPUT', 'E5');
    const { recall: _omitted, ...withoutRecall } = start.data;
    petition
      .given([])
      .when({ ...start, data: withoutRecall })
      .thenRefuses('INVALID_INPUT', 'E5');
  });

  it('P6: an audit request needs 1/5 of villagers — 18 of 95 do not reach it, 19 do', () => {
    const start = startPetition('AUDIT_REQUEST', 'VILLAGERS', villagers);
    expect(decided(history(start, ids('v', 17)), sign('v18'))).toMatchObject([
      { type: 'PetitionSigned', data: { signatures: 18 } },
    ]);
    expect(decided(history(start, ids('v', 18)), sign('v19'))).toMatchObject([
      { type: 'PetitionSigned', data: { signatures: 19 } },
      {
        type: 'PetitionThresholdReached',
        data: {
          duty: 'ARRANGE_AUDIT',
          ruleId: 'P6',
          judgements: [{ ruleId: 'P6', met: true, actual: 19, required: 19, of: 95 }],
        },
      },
    ]);
  });

  it('P6: representatives cannot request an audit in the villagers’ place', () => {
    petition
      .given([])
      .when(startPetition('AUDIT_REQUEST', 'REPRESENTATIVES', representatives))
      .thenRefuses('INVALID_INPUT', 'P6');
  });

  it('A2: the threshold is fixed at start: later roll changes do not move it', () => {
    const start = startPetition('CONVENE_ASSEMBLY', 'VILLAGERS', villagers);
    const nine = history(start, ids('v', 9));
    expect(fold(petitionDecider, nine).petition?.threshold).toEqual({
      ruleId: 'A2',
      required: 10,
      of: 95,
    });
    // Since the start v96…v120 joined the roll: 1/10 of 120 would be 12, and they may not sign.
    petition.given(nine).when(sign('v96')).thenRefuses('NOT_ON_ROLL', 'A2');
    expect(decided(nine, sign('v10'))).toMatchObject([
      { type: 'PetitionSigned', data: { signatures: 10 } },
      {
        type: 'PetitionThresholdReached',
        data: { judgements: [{ ruleId: 'A2', met: true, actual: 10, required: 10, of: 95 }] },
      },
    ]);
  });
});
