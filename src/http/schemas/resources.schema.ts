import { type Static, Type } from 'typebox';
import { Language, Timestamp, Uuid } from './common.js';

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
