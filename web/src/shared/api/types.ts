/** Wire types of the mailroom JSON API, as the UI consumes them (see SPEC §9). */

export type Language = 'pl' | 'en';
export type Role = 'admin' | 'employee';

export interface Employee {
  id: string;
  name: string;
  email: string;
  role: Role;
  language: Language;
  active: boolean;
  signatureHtml: string;
  signatureText: string;
  groupIds: string[];
  createdAt: string;
  updatedAt: string;
}

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

export interface Group {
  id: string;
  name: string;
  description: string;
  memberIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface GroupInput {
  name?: string;
  description?: string;
  memberIds?: string[];
}

export interface Project {
  id: string;
  name: string;
  description: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ProjectInput {
  name?: string;
  description?: string;
  archived?: boolean;
}

export interface ContactEmail {
  email: string;
  label: string;
  isPrimary: boolean;
}

export interface Contact {
  id: string;
  name: string;
  company: string;
  notes: string;
  emails: ContactEmail[];
  createdAt: string;
  updatedAt: string;
}

export interface ContactInput {
  name?: string;
  company?: string;
  notes?: string;
  emails?: { email: string; label?: string; isPrimary?: boolean }[];
}

export interface Workspace {
  id: string;
  name: string;
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
