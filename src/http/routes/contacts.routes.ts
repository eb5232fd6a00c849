import type { ContactWithEmails } from '../../db/repositories/contact.repository.js';
import type { ContactService } from '../../services/contacts/contact-service.js';
import { Contact, ContactCreateBody, ContactPatchBody } from '../schemas/resources.schema.js';
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

/** Contacts are shared by the whole workspace: every employee may write them. */
export function contactRoutes(app: App, service: ContactService) {
  crudRoutes(app, {
    name: 'contacts',
    item: Contact,
    createBody: ContactCreateBody,
    patchBody: ContactPatchBody,
    present,
    service,
    writeErrors: [],
  });
}
