import type { Command } from '../shared/decider';
import type { ItemDecision } from '../shared/vocabulary';
import type { PlanKind } from './events';

export type DraftPlan = Command<
  'DraftPlan',
  {
    readonly planId: string;
    readonly villageId: string;
    readonly kind: PlanKind;
    readonly title: string;
    readonly at: string;
  }
>;

export type ProposeVersion = Command<
  'ProposeVersion',
  {
    readonly planId: string;
    /** The next in sequence: 1 for the first, and one more for every later version. */
    readonly version: number;
    readonly documentSha256: string;
    readonly summary: string;
    readonly at: string;
  }
>;

export type AnnounceDraft = Command<
  'AnnounceDraft',
  {
    readonly planId: string;
    readonly version: number;
    /** Not after `at`: an announcement is recorded once it is up. */
    readonly announcedAt: string;
    readonly at: string;
  }
>;

export type RecordConsent = Command<
  'RecordConsent',
  {
    readonly planId: string;
    readonly version: number;
    /** The agenda item's decision, as the meeting recorded it. */
    readonly decision: ItemDecision;
    /**
     * The plan version the resolution consented to, read by the handler from what was put to the
     * vote: the decision itself names only the proposal.
     */
    readonly consentFor: { readonly planId: string; readonly version: number };
    readonly at: string;
  }
>;

export type SubmitForApproval = Command<
  'SubmitForApproval',
  {
    readonly planId: string;
    readonly version: number;
    readonly submittedTo: string;
    readonly at: string;
  }
>;

export type ApproveVersion = Command<
  'ApproveVersion',
  {
    readonly planId: string;
    readonly version: number;
    readonly authority: string;
    /** Not after `at`: the approval is recorded once it is given. */
    readonly approvedAt: string;
    readonly at: string;
  }
>;

export type PlanCommand =
  | DraftPlan
  | ProposeVersion
  | AnnounceDraft
  | RecordConsent
  | SubmitForApproval
  | ApproveVersion;
