import type { Role } from './actor';

/**
 * Who may call what: the one table, by GraphQL field. The RolesGuard refuses any operation not in
 * it (deny by default), and the scope of each call (own village, own township) is checked by the
 * handler that knows which village the target belongs to. DOMAIN.md, "Who uses it"; issue 4 §4.
 * A township auditor never votes and never changes an outcome: its only write is a correction
 * order (C2). An integrator never writes.
 */
export const MUTATION_ROLES = {
  // the village and its roll: the clerk
  registerVillage: ['CLERK'],
  setPractice: ['CLERK'],
  registerHousehold: ['CLERK'],
  registerVillager: ['CLERK'],
  removeVillager: ['CLERK'],
  designateHouseholdRepresentative: ['CLERK'],
  electRepresentatives: ['CLERK'],
  electCommittee: ['CLERK'],
  electSupervisionCommittee: ['CLERK'],
  recordAuthorisation: ['CLERK'],
  revokeAuthorisation: ['CLERK'],
  importRoll: ['CLERK'],
  // proposals: the clerk records the path; the township orders corrections
  draftProposal: ['CLERK'],
  recordDeliberation: ['CLERK'],
  publishResolution: ['CLERK'],
  reportImplementation: ['CLERK'],
  publishImplementationResults: ['CLERK'],
  withdrawProposal: ['CLERK'],
  orderCorrection: ['TOWNSHIP_AUDITOR'],
  // meetings: the clerk runs them; villagers check in and vote for themselves online
  conveneMeeting: ['CLERK'],
  openMeeting: ['CLERK'],
  checkIn: ['VILLAGER'],
  recordAttendance: ['CLERK'],
  leaveMeeting: ['VILLAGER'],
  recordDeparture: ['CLERK'],
  openVoting: ['CLERK'],
  castBallot: ['VILLAGER'],
  recordPaperBallot: ['CLERK'],
  countersignPaperBallots: ['SUPERVISOR'],
  closeVoting: ['CLERK'],
  adjournMeeting: ['CLERK'],
  // petitions: villagers start and sign them; the clerk closes one that lapsed
  startPetition: ['VILLAGER'],
  signPetition: ['VILLAGER'],
  withdrawSignature: ['VILLAGER'],
  closePetition: ['CLERK'],
  // plans: the clerk records the plan's path to approval
  draftPlan: ['CLERK'],
  proposePlanVersion: ['CLERK'],
  announcePlanDraft: ['CLERK'],
  recordPlanConsent: ['CLERK'],
  submitPlanForApproval: ['CLERK'],
  recordPlanApproval: ['CLERK'],
  // the transparency log: a tree head signed on demand records nothing, it attests what is there
  signTreeHead: ['SUPERVISOR', 'TOWNSHIP_AUDITOR'],
} as const satisfies Record<string, readonly Role[]>;

const EVERYONE: readonly Role[] = [
  'VILLAGER',
  'CLERK',
  'SUPERVISOR',
  'TOWNSHIP_AUDITOR',
  'INTEGRATOR',
];
const VILLAGE_OFFICERS: readonly Role[] = ['CLERK', 'SUPERVISOR', 'TOWNSHIP_AUDITOR'];

/**
 * Queries by role; what each returns is further narrowed to the caller's scope, and personal
 * fields (names, birth dates, ballots) are null for those who may not see them (visibility.ts).
 */
export const QUERY_ROLES = {
  me: EVERYONE,
  ruleBook: EVERYONE,
  village: EVERYONE,
  villages: EVERYONE,
  villager: [...VILLAGE_OFFICERS, 'VILLAGER'],
  proposal: EVERYONE,
  proposals: EVERYONE,
  // An integrator reads tallies on the published resolutions, not the sittings themselves: an
  // agenda names proposals that are not public yet.
  meeting: [...VILLAGE_OFFICERS, 'VILLAGER'],
  meetings: [...VILLAGE_OFFICERS, 'VILLAGER'],
  petition: [...VILLAGE_OFFICERS, 'VILLAGER'],
  petitions: [...VILLAGE_OFFICERS, 'VILLAGER'],
  plan: EVERYONE,
  plans: EVERYONE,
  myBallots: ['VILLAGER'],
  auditTrail: ['SUPERVISOR', 'TOWNSHIP_AUDITOR'],
  decisionDossier: ['SUPERVISOR', 'TOWNSHIP_AUDITOR'],
  townshipOverview: ['TOWNSHIP_AUDITOR'],
  // The transparency log holds hashes only: anyone with a token may check a receipt against it.
  inclusionProof: EVERYONE,
  receipt: EVERYONE,
} as const satisfies Record<string, readonly Role[]>;

export const SUBSCRIPTION_ROLES = {
  meetingUpdated: [...VILLAGE_OFFICERS, 'VILLAGER'],
  decisionPublished: EVERYONE,
} as const satisfies Record<string, readonly Role[]>;

/** Answered without a token: the server's own description. */
export const PUBLIC_QUERIES: readonly string[] = [
  'server',
  // Sizes, hashes and a public key: what anyone needs to hold the log to its word.
  'signedTreeHead',
  'consistencyProof',
  'treeHeadKey',
];

export type MutationName = keyof typeof MUTATION_ROLES;
