/** One stream per aggregate instance; the prefix names the context (and the read model's router). */
export const streams = {
  village: (villageId: string) => `village-${villageId}`,
  meeting: (meetingId: string) => `meeting-${meetingId}`,
  proposal: (proposalId: string) => `proposal-${proposalId}`,
  petition: (petitionId: string) => `petition-${petitionId}`,
  plan: (planId: string) => `plan-${planId}`,
} as const;

/** The meeting whose stream this is, or undefined for any other stream. */
export function meetingOfStream(stream: string): string | undefined {
  return stream.startsWith('meeting-') ? stream.slice('meeting-'.length) : undefined;
}
