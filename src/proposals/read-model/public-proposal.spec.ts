import type { Proposal, Resolution } from '../proposal.types';
import { publicProposal } from './proposal.queries';

const order = {
  orderId: 'o1',
  auditorId: 'auditor-7',
  legalBasis: '侵犯村民合法权益',
  orderedAt: 't',
};
const resolution = (meetingId: string, published: boolean): Resolution =>
  ({
    meetingId,
    itemId: 'item-1',
    outcome: 'PASSED',
    publication: published
      ? { publishedAt: 't', notice: '决议公告', dueBy: 't', late: false }
      : null,
    correction: published ? order : null,
  }) as Resolution;

describe('what the public sees of a proposal', () => {
  const proposal = {
    id: 'p1',
    resolutions: [resolution('m1', true), resolution('m2', false)],
    resolution: resolution('m2', false),
    suspension: order,
  } as unknown as Proposal;

  it('P1: only published resolutions; a newer vote not yet published stays out', () => {
    const seen = publicProposal(proposal);
    expect(seen.resolutions.map((r) => r.meetingId)).toEqual(['m1']);
    expect(seen.resolution?.meetingId).toBe('m1');
  });

  it('C2: a correction order without the auditor who gave it', () => {
    const seen = publicProposal(proposal);
    expect(seen.suspension).toEqual({ ...order, auditorId: null });
    expect(seen.resolutions[0]?.correction).toEqual({ ...order, auditorId: null });
  });
});
