import { Type } from 'typebox';
import type { ContactWithEmails } from '../../db/repositories/contact.repository.js';
import type { ContactService } from '../../services/contacts/contact-service.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import {
  EmailString,
  errors,
  IdParams,
  Line,
  PageOf,
  PageQuery,
  Text,
  Timestamp,
  Uuid,
} from '../schemas/common.js';
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

export function contactRoutes(app: App, service: ContactService) {
  app.addSchema(Contact);
  const tags = ['contacts'];
  const ref = Type.Ref('Contact');
  app.get(
    '/api/contacts',
    {
      preHandler: requireAuth,
      schema: { tags, querystring: PageQuery, response: { 200: PageOf(ref), ...errors(400, 401) } },
    },
    async (req) => {
      const r = await service.list(actorOf(req), req.query);
      return {
        items: r.items.map(present),
        total: r.total,
        limit: req.query.limit,
        offset: req.query.offset,
      };
    },
  );
  app.post(
    '/api/contacts',
    {
      preHandler: requireAuth,
      schema: { tags, body: CreateBody, response: { 201: ref, ...errors(400, 401) } },
    },
    async (req, reply) => reply.status(201).send(present(await service.create(actorOf(req), req.body))),
  );
  app.get(
    '/api/contacts/:id',
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 200: ref, ...errors(401, 404) } },
    },
    async (req) => present(await service.get(actorOf(req), req.params.id)),
  );
  app.patch(
    '/api/contacts/:id',
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, body: PatchBody, response: { 200: ref, ...errors(400, 401, 404) } },
    },
    async (req) => present(await service.update(actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/contacts/:id',
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors(401, 404) } },
    },
    async (req, reply) => {
      await service.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
