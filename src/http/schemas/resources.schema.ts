import { type Static, Type } from 'typebox';
import { EmailString, Language, Line, NameLine, Text, Timestamp, Uuid } from './common.js';

/** Employees, groups, projects and contacts as the API shows them; the web's types are their `Static<>`. */
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

export const Group = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: Type.String(),
    memberIds: Type.Array(Uuid),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Group' },
);

export const Project = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: Type.String(),
    archived: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Project' },
);

export const ContactEmail = Type.Object({
  email: Type.String(),
  label: Type.String(),
  isPrimary: Type.Boolean(),
});
export const Contact = Type.Object(
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

export type EmployeeView = Static<typeof Employee>;
export type GroupView = Static<typeof Group>;
export type ProjectView = Static<typeof Project>;
export type ContactView = Static<typeof Contact>;

/** Bodies of POST and PATCH /api/employees (the web's inputs are their `Static<>`). */
const employeeFields = {
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
export const EmployeeCreateBody = Type.Object(
  {
    name: employeeFields.name,
    email: employeeFields.email,
    role: Type.Optional(employeeFields.role),
    language: Type.Optional(employeeFields.language),
    active: Type.Optional(employeeFields.active),
    password: Type.Optional(employeeFields.password),
    signatureHtml: Type.Optional(employeeFields.signatureHtml),
    signatureText: Type.Optional(employeeFields.signatureText),
    groupIds: Type.Optional(employeeFields.groupIds),
  },
  { additionalProperties: false },
);
export const EmployeePatchBody = Type.Partial(Type.Object(employeeFields), { additionalProperties: false });

/** Bodies of POST and PATCH /api/groups (the web's inputs are their `Static<>`). */
const groupFields = {
  name: Line(200, 1),
  description: Text(2000),
  memberIds: Type.Array(Uuid, { maxItems: 10_000 }),
};
export const GroupCreateBody = Type.Object(
  {
    name: groupFields.name,
    description: Type.Optional(groupFields.description),
    memberIds: Type.Optional(groupFields.memberIds),
  },
  { additionalProperties: false },
);
export const GroupPatchBody = Type.Partial(Type.Object(groupFields), { additionalProperties: false });

/** Bodies of POST and PATCH /api/projects (the web's inputs are their `Static<>`). */
const projectFields = { name: Line(200, 1), description: Text(5000), archived: Type.Boolean() };
export const ProjectCreateBody = Type.Object(
  {
    name: projectFields.name,
    description: Type.Optional(projectFields.description),
    archived: Type.Optional(projectFields.archived),
  },
  { additionalProperties: false },
);
export const ProjectPatchBody = Type.Partial(Type.Object(projectFields), { additionalProperties: false });

/** Bodies of POST and PATCH /api/contacts (the web's inputs are their `Static<>`). */
const ContactEmailInput = Type.Object(
  { email: EmailString, label: Type.Optional(Line(100)), isPrimary: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const contactFields = {
  name: NameLine(200, 1),
  company: Line(200),
  notes: Text(10_000),
  emails: Type.Array(ContactEmailInput, { minItems: 1, maxItems: 20 }),
};
export const ContactCreateBody = Type.Object(
  {
    name: contactFields.name,
    company: Type.Optional(contactFields.company),
    notes: Type.Optional(contactFields.notes),
    emails: contactFields.emails,
  },
  { additionalProperties: false },
);
export const ContactPatchBody = Type.Partial(Type.Object(contactFields), { additionalProperties: false });

export type EmployeeCreate = Static<typeof EmployeeCreateBody>;
export type EmployeePatch = Static<typeof EmployeePatchBody>;
export type GroupCreate = Static<typeof GroupCreateBody>;
export type GroupPatch = Static<typeof GroupPatchBody>;
export type ProjectCreate = Static<typeof ProjectCreateBody>;
export type ProjectPatch = Static<typeof ProjectPatchBody>;
export type ContactCreate = Static<typeof ContactCreateBody>;
export type ContactPatch = Static<typeof ContactPatchBody>;
