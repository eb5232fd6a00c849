import { Type } from 'typebox';
import type { EmployeeWithGroups } from '../../db/repositories/employee.repository.js';
import type { EmployeeService } from '../../services/employees/employee-service.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import {
  EmailString,
  errors,
  IdParams,
  Language,
  Line,
  PageOf,
  PageQuery,
  Text,
  Timestamp,
  Uuid,
} from '../schemas/common.js';
import type { App } from './types.js';

export const Employee = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    email: Type.String(),
    role: Type.Union([Type.Literal('admin'), Type.Literal('employee')]),
    language: Language,
    active: Type.Boolean(),
    signatureHtml: Type.String(),
    signatureText: Type.String(),
    groupIds: Type.Array(Uuid),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Employee' },
);

/** Presenter: the row minus its password hash (never leaves the server). */
export const presentEmployee = (e: EmployeeWithGroups) => ({
  id: e.id,
  name: e.name,
  email: e.email,
  role: e.role,
  language: e.language,
  active: e.active,
  signatureHtml: e.signatureHtml,
  signatureText: e.signatureText,
  groupIds: e.groupIds,
  createdAt: e.createdAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});

const fields = {
  name: Line(200, 1),
  email: EmailString,
  role: Type.Union([Type.Literal('admin'), Type.Literal('employee')]),
  language: Language,
  active: Type.Boolean(),
  password: Type.String({ minLength: 10, maxLength: 200 }),
  signatureHtml: Text(20_000),
  signatureText: Text(5_000),
  groupIds: Type.Array(Uuid, { maxItems: 500 }),
};
const CreateBody = Type.Object(
  {
    name: fields.name,
    email: fields.email,
    role: Type.Optional(fields.role),
    language: Type.Optional(fields.language),
    active: Type.Optional(fields.active),
    password: Type.Optional(fields.password),
    signatureHtml: Type.Optional(fields.signatureHtml),
    signatureText: Type.Optional(fields.signatureText),
    groupIds: Type.Optional(fields.groupIds),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false });

export function employeeRoutes(app: App, service: EmployeeService) {
  const tags = ['employees'];
  const ref = Type.Ref('Employee');
  app.get(
    '/api/employees',
    {
      preHandler: requireAuth,
      schema: { tags, querystring: PageQuery, response: { 200: PageOf(ref), ...errors(400, 401) } },
    },
    async (req) => {
      const r = await service.list(actorOf(req), req.query);
      return {
        items: r.items.map(presentEmployee),
        total: r.total,
        limit: req.query.limit,
        offset: req.query.offset,
      };
    },
  );
  app.post(
    '/api/employees',
    {
      preHandler: requireAuth,
      schema: { tags, body: CreateBody, response: { 201: ref, ...errors(400, 401, 403, 409) } },
    },
    async (req, reply) =>
      reply.status(201).send(presentEmployee(await service.create(actorOf(req), req.body))),
  );
  app.get(
    '/api/employees/:id',
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 200: ref, ...errors(401, 404) } },
    },
    async (req) => presentEmployee(await service.get(actorOf(req), req.params.id)),
  );
  app.patch(
    '/api/employees/:id',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        params: IdParams,
        body: PatchBody,
        response: { 200: ref, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => presentEmployee(await service.update(actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/employees/:id',
    {
      preHandler: requireAuth,
      schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } },
    },
    async (req, reply) => {
      await service.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
