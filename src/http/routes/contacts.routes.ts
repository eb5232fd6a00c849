import { Type } from 'typebox';
import type { ContactWithEmails } from '../../db/repositories/contact.repository.js';
import type { ContactService } from '../../services/contacts/contact-service.js';
import { EmailString, Line, NameLine, Text } from '../schemas/common.js';
import { Contact } from '../schemas/resources.schema.js';
import { crudRoutes } from './crud-routes.js';
import type { App } from './types.js';

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
  name: NameLine(200, 1),
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
