/**
 * Who is asking: the verified claims of a Bearer token (DOMAIN.md, "Who uses it"). The system
 * trusts the identity provider for who someone is (identity proofing is out of scope); what they
 * may do follows from the role and scope here, in access.ts.
 */
export const ROLES = ['VILLAGER', 'CLERK', 'SUPERVISOR', 'TOWNSHIP_AUDITOR', 'INTEGRATOR'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose scope is one village (claim `village`). */
export const VILLAGE_ROLES: readonly Role[] = ['VILLAGER', 'CLERK', 'SUPERVISOR'];

export interface Actor {
  /**
   * Token `sub`. For a VILLAGER or SUPERVISOR it is their villager id on the village's roll: the
   * id they check in, vote, sign and countersign as. For others it names the person or client.
   */
  readonly subject: string;
  readonly role: Role;
  /** VILLAGER, CLERK, SUPERVISOR: their village (claim `village`). */
  readonly villageId?: string;
  /** TOWNSHIP_AUDITOR: their township (claim `township`). */
  readonly township?: string;
}
