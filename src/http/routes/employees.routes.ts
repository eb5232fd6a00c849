import { Type } from 'typebox';
import type { EmployeeListItem } from '../../db/repositories/employee.repository.js';
import type { EmployeeService } from '../../services/employees/employee-service.js';
import { EmailString, Language, NameLine, Text, Uuid } from '../schemas/common.js';
import { Employee } from '../schemas/resources.schema.js';
import { crudRoutes } from './crud-routes.js';
import type { App } from './types.js';

/** Presenter: the row minus its password hash (never leaves the server). */
export const presentEmployee = (e: EmployeeListItem) => ({
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
  name: NameLine(200, 1),
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
  crudRoutes(app, {
    name: 'employees',
    item: Employee,
    createBody: CreateBody,
    patchBody: PatchBody,
    present: presentEmployee,
    service,
    writeErrors: [403, 409],
  });
}
