import { and, asc, count, eq, exists, inArray, or } from 'drizzle-orm';
import type { Page } from '../../domain/actor.js';
import type { DbOrTx } from '../database.js';
import { contactEmails, contacts } from '../schema/index.js';
import { searchFilter } from './list-query.js';

export type ContactRow = typeof contacts.$inferSelect;
export interface ContactEmail {
  email: string;
  label: string;
  isPrimary: boolean;
}
export type ContactWithEmails = ContactRow & { emails: ContactEmail[] };

export function createContactRepository(db: DbOrTx) {
  const withEmails = async (rows: ContactRow[], tx: DbOrTx): Promise<ContactWithEmails[]> => {
    if (rows.length === 0) return [];
    const emails = await tx
      .select()
      .from(contactEmails)
      .where(
        inArray(
          contactEmails.contactId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(contactEmails.position));
    const byContact = new Map<string, ContactEmail[]>();
    for (const e of emails) {
      byContact.set(e.contactId, [
        ...(byContact.get(e.contactId) ?? []),
        { email: e.email, label: e.label, isPrimary: e.isPrimary },
      ]);
    }
    return rows.map((r) => ({ ...r, emails: byContact.get(r.id) ?? [] }));
  };

  return {
    async list(workspaceId: string, page: Page, tx: DbOrTx = db) {
      const emailMatch = page.q
        ? exists(
            tx
              .select({ one: contactEmails.id })
              .from(contactEmails)
              .where(
                and(eq(contactEmails.contactId, contacts.id), searchFilter(page.q, [contactEmails.email])),
              ),
          )
        : undefined;
      const text = searchFilter(page.q, [contacts.name, contacts.company]);
      const where = and(
        eq(contacts.workspaceId, workspaceId),
        text && emailMatch ? or(text, emailMatch) : undefined,
      );
      const [rows, [total]] = await Promise.all([
        tx
          .select()
          .from(contacts)
          .where(where)
          .orderBy(asc(contacts.name), asc(contacts.id))
          .limit(page.limit)
          .offset(page.offset),
        tx.select({ n: count() }).from(contacts).where(where),
      ]);
      return { items: await withEmails(rows, tx), total: total?.n ?? 0 };
    },
    async findById(workspaceId: string, id: string, tx: DbOrTx = db) {
      const rows = await tx
        .select()
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
      return (await withEmails(rows, tx))[0] ?? null;
    },
    async insert(values: typeof contacts.$inferInsert, tx: DbOrTx = db) {
      const [row] = await tx.insert(contacts).values(values).returning();
      return row!;
    },
    async update(
      workspaceId: string,
      id: string,
      values: Partial<typeof contacts.$inferInsert>,
      tx: DbOrTx = db,
    ) {
      const [row] = await tx
        .update(contacts)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)))
        .returning();
      return row ?? null;
    },
    async delete(workspaceId: string, id: string, tx: DbOrTx = db) {
      const rows = await tx
        .delete(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)))
        .returning({ id: contacts.id });
      return rows.length > 0;
    },
    async replaceEmails(
      workspaceId: string,
      contactId: string,
      emails: readonly ContactEmail[],
      tx: DbOrTx = db,
    ) {
      await tx
        .delete(contactEmails)
        .where(and(eq(contactEmails.workspaceId, workspaceId), eq(contactEmails.contactId, contactId)));
      if (emails.length > 0) {
        await tx
          .insert(contactEmails)
          .values(emails.map((e, position) => ({ workspaceId, contactId, position, ...e })));
      }
    },
  };
}

export type ContactRepository = ReturnType<typeof createContactRepository>;
