/** One stream per aggregate instance; the prefix names the context (and the read model's router). */
export const streams = {
  village: (villageId: string) => `village-${villageId}`,
  meeting: (meetingId: string) => `meeting-${meetingId}`,
  proposal: (proposalId: string) => `proposal-${proposalId}`,
  petition: (petitionId: string) => `petition-${petitionId}`,
  plan: (planId: string) => `plan-${planId}`,
} as const;
