/**
 * Wire types of the mailroom JSON API, as the UI consumes them (see SPEC §9). Responses are
 * `Static<>` of the server's schemas (decision 0009), imported as types only.
 */
import type {
  ContactView,
  EmployeeView,
  GroupView,
  ProjectView,
} from '../../../../src/http/schemas/resources.schema';

export type Language = 'pl' | 'en';
export type Role = 'admin' | 'employee';

export type Employee = EmployeeView;

export interface EmployeeInput {
  name?: string;
  email?: string;
  role?: Role;
  language?: Language;
  active?: boolean;
  password?: string;
  signatureHtml?: string;
  signatureText?: string;
}

export type Group = GroupView;

export interface GroupInput {
  name?: string;
  description?: string;
  memberIds?: string[];
}

export type Project = ProjectView;

export interface ProjectInput {
  name?: string;
  description?: string;
  archived?: boolean;
}

export type ContactEmail = ContactView['emails'][number];

export type Contact = ContactView;

export interface ContactInput {
  name?: string;
  company?: string;
  notes?: string;
  emails?: { email: string; label?: string; isPrimary?: boolean }[];
}

export interface Workspace {
  id: string;
  name: string;
  /** The demo workspace on the built-in sandbox mail server: mail never leaves this computer. */
  sandbox: boolean;
}

/** Body of POST/GET/PATCH /api/session. */
export interface Session {
  employee: Employee;
  workspace: Workspace;
  csrfToken: string;
}

/** One page of a list endpoint. */
export interface Page<T> {
  items: T[];
  /** With `totalExact: false`, a lower bound (the server stops counting past the page). */
  total: number;
  totalExact?: boolean;
  limit: number;
  offset: number;
}

export interface ListParams {
  limit: number;
  offset: number;
  q?: string;
}

/** One problem with one request field, as the server reports it in `details.fields`. */
export interface FieldIssue {
  /** JSON pointer into the request, e.g. `/body/email` or `/body/emails/0/email`. */
  path: string;
  code: string;
  message?: string;
  params?: Record<string, unknown>;
}
