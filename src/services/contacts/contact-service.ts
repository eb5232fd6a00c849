import type { ContactEmail, ContactRepository } from '../../db/repositories/contact.repository.js';
import type { Actor, Page } from '../../domain/actor.js';
import { parseEmailAddress } from '../../domain/email-address.js';
import { type FieldIssue, notFound, refuseBlank, validationFailed } from '../../domain/errors.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import { type AuditRecorder, changedFields } from '../audit/audit-recorder.js';

export interface ContactInput {
  name?: string;
  company?: string;
  notes?: string;
  emails?: { email: string; label?: string; isPrimary?: boolean }[];
}

/** Validates and normalises contact emails: strict parse, no duplicates, exactly one primary. */
function normaliseEmails(emails: NonNullable<ContactInput['emails']>): ContactEmail[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const out: ContactEmail[] = [];
  emails.forEach((e, i) => {
    const parsed = parseEmailAddress(e.email);
    const key = parsed.ok ? parsed.address.toLowerCase() : '';
    if (!parsed.ok) issues.push({ path: `/body/emails/${i}/email`, code: 'email' });
    else if (seen.has(key)) issues.push({ path: `/body/emails/${i}/email`, code: 'duplicate' });
    else {
      seen.add(key);
      out.push({ email: parsed.address, label: e.label?.trim() ?? '', isPrimary: e.isPrimary === true });
    }
  });
  if (issues.length > 0) throw validationFailed(issues);
  const primary = out.findIndex((e) => e.isPrimary);
  return out.map((e, i) => ({ ...e, isPrimary: i === (primary === -1 ? 0 : primary) }));
}

/** Contacts are shared by the whole workspace: every employee may manage them. */
export function createContactService(deps: {
  contacts: ContactRepository;
  audit: AuditRecorder;
  transaction: RunInTransaction;
}) {
  return {
    list: (actor: Actor, page: Page) => deps.contacts.list(actor.workspaceId, page),

    async get(actor: Actor, id: string) {
      const row = await deps.contacts.findById(actor.workspaceId, id);
      if (!row) throw notFound('contact', id);
      return row;
    },

    async create(
      actor: Actor,
      input: ContactInput & { name: string; emails: NonNullable<ContactInput['emails']> },
    ) {
      refuseBlank({ name: input.name });
      const emails = normaliseEmails(input.emails);
      const id = await deps.transaction(async (tx) => {
        const row = await deps.contacts.insert(
          {
            workspaceId: actor.workspaceId,
            name: input.name.trim(),
            company: input.company ?? '',
            notes: input.notes ?? '',
          },
          tx,
        );
        await deps.contacts.replaceEmails(actor.workspaceId, row.id, emails, tx);
        await deps.audit.record(
          actor,
          { action: 'contact.created', targetType: 'contact', targetId: row.id },
          tx,
        );
        return row.id;
      });
      return this.get(actor, id);
    },

    async update(actor: Actor, id: string, input: ContactInput) {
      const before = await this.get(actor, id);
      refuseBlank({ name: input.name });
      const emails = input.emails ? normaliseEmails(input.emails) : undefined;
      const patch = { name: input.name?.trim(), company: input.company, notes: input.notes };
      const changed = changedFields(before, { ...patch, emails });
      await deps.transaction(async (tx) => {
        await deps.contacts.update(actor.workspaceId, id, patch, tx);
        if (emails) await deps.contacts.replaceEmails(actor.workspaceId, id, emails, tx);
        await deps.audit.record(
          actor,
          { action: 'contact.updated', targetType: 'contact', targetId: id, details: { changed } },
          tx,
        );
      });
      return this.get(actor, id);
    },

    async remove(actor: Actor, id: string) {
      await this.get(actor, id);
      await deps.transaction(async (tx) => {
        await deps.contacts.delete(actor.workspaceId, id, tx);
        await deps.audit.record(
          actor,
          { action: 'contact.deleted', targetType: 'contact', targetId: id },
          tx,
        );
      });
    },
  };
}

export type ContactService = ReturnType<typeof createContactService>;
