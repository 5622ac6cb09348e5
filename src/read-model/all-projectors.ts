import { auditTrailProjector } from '../audit/read-model/audit-trail.projector';
import { meetingProjector } from '../meetings/read-model/meeting.projector';
import { petitionProjector } from '../petitions/read-model/petition.projector';
import { planProjector } from '../plans/read-model/plan.projector';
import { proposalProjector } from '../proposals/read-model/proposal.projector';
import { villageProjector } from '../villages/read-model/village.projector';
import type { Projector } from './projector';

/** Every projector the read database runs; `projections rebuild` replays them all. */
export const PROJECTORS: readonly Projector[] = [
  auditTrailProjector,
  meetingProjector,
  proposalProjector,
  petitionProjector,
  planProjector,
  villageProjector,
];
