import { Type } from 'typebox';
import type { ContactWithEmails } from '../../db/repositories/contact.repository.js';
import type { ContactService } from '../../services/contacts/contact-service.js';
import { EmailString, Line, Text, Timestamp, Uuid } from '../schemas/common.js';
import { crudRoutes } from './crud-routes.js';
import type { App } from './types.js';

const ContactEmail = Type.Object({ email: Type.String(), label: Type.String(), isPrimary: Type.Boolean() });
const Contact = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    company: Type.String(),
    notes: Type.String(),
    emails: Type.Array(ContactEmail),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Contact' },
);
const present = (c: ContactWithEmails) => ({
  id: c.id,
  name: c.name,
  company: c.company,
  notes: c.notes,
  emails: c.emails,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});
const EmailInput = Type.Object(
  { email: EmailString, label: Type.Optional(Line(100)), isPrimary: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const fields = {
  name: Line(200, 1),
  company: Line(200),
  notes: Text(10_000),
  emails: Type.Array(EmailInput, { minItems: 1, maxItems: 20 }),
};
const CreateBody = Type.Object(
  {
    name: fields.name,
    company: Type.Optional(fields.company),
    notes: Type.Optional(fields.notes),
    emails: fields.emails,
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false });

/** Contacts are shared by the whole workspace: every employee may write them. */
export function contactRoutes(app: App, service: ContactService) {
  crudRoutes(app, {
    name: 'contacts',
    item: Contact,
    createBody: CreateBody,
    patchBody: PatchBody,
    present,
    service,
    writeErrors: [],
  });
}
