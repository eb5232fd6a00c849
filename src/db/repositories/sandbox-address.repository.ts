import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { emailAddresses } from '../schema/index.js';

/**
 * The addresses that live on the built-in sandbox (issue 12): marked by the `sandbox` preset id
 * and dialled on 127.0.0.1. Cross-workspace on purpose: the sandbox is one server for the
 * process, and these queries only follow its ports and its deliveries.
 */
export function createSandboxAddressRepository(db: DbOrTx, presetId: string) {
  const onSandbox = and(eq(emailAddresses.presetId, presetId), eq(emailAddresses.smtpHost, '127.0.0.1'));
  return {
    /** Points every sandbox address at the ports the sandbox listens on in this run. */
    async followPorts(ports: { smtp: number; pop3: number; imap: number }): Promise<number> {
      const incoming = sql`CASE WHEN ${emailAddresses.incomingProtocol} = 'imap' THEN ${ports.imap}::int ELSE ${ports.pop3}::int END`;
      const moved = and(
        onSandbox,
        sql`(${emailAddresses.smtpPort} <> ${ports.smtp} OR ${emailAddresses.incomingPort} <> ${incoming})`,
      );
      // Usually the sandbox got its last ports back and nothing moved: a read is cheaper on the
      // start path than an UPDATE that matches no row (PGlite opens every index for it).
      const stale = await db.select({ id: emailAddresses.id }).from(emailAddresses).where(moved).limit(1);
      if (stale.length === 0) return 0;
      const rows = await db
        .update(emailAddresses)
        .set({ smtpPort: ports.smtp, incomingPort: incoming, incomingHost: '127.0.0.1' })
        .where(moved)
        .returning({ id: emailAddresses.id });
      return rows.length;
    },
    /** Sandbox addresses reading this mailbox (company and employee rows alike). */
    async byMailbox(email: string) {
      return db
        .select({
          id: emailAddresses.id,
          workspaceId: emailAddresses.workspaceId,
          incomingProtocol: emailAddresses.incomingProtocol,
        })
        .from(emailAddresses)
        .where(
          and(
            onSandbox,
            sql`lower(${emailAddresses.email}) = ${email.toLowerCase()}`,
            eq(emailAddresses.active, true),
            eq(emailAddresses.collectReplies, true),
          ),
        );
    },
  };
}
