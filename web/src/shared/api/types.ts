/**
 * Wire types of the mailroom JSON API, as the UI consumes them (see SPEC §9). Responses are
 * `Static<>` of the server's schemas (decision 0009), imported as types only.
 */
import type { FieldIssue, PageParams } from '../../../../src/http/schemas/common';
import type {
  ContactCreate,
  ContactPatch,
  ContactView,
  EmployeeCreate,
  EmployeePatch,
  EmployeeView,
  GroupCreate,
  GroupPatch,
  GroupView,
  ProjectCreate,
  ProjectPatch,
  ProjectView,
} from '../../../../src/http/schemas/resources.schema';
import type { SessionResponse, SessionWorkspaceView } from '../../../../src/http/schemas/session.schema';

export type Employee = EmployeeView;
export type Role = Employee['role'];
export type Language = Employee['language'];
/** Bodies of POST and PATCH /api/employees. */
export type EmployeeCreateInput = EmployeeCreate;
export type EmployeeInput = EmployeePatch;

export type Group = GroupView;
export type GroupCreateInput = GroupCreate;
export type GroupInput = GroupPatch;

export type Project = ProjectView;
export type ProjectCreateInput = ProjectCreate;
export type ProjectInput = ProjectPatch;

export type ContactEmail = ContactView['emails'][number];
export type Contact = ContactView;
export type ContactCreateInput = ContactCreate;
export type ContactInput = ContactPatch;

/** The workspace a session names (`sandbox`: the demo workspace, mail never leaves this computer). */
export type Workspace = SessionWorkspaceView;

/** Body of POST/GET/PATCH /api/session. */
export type Session = SessionResponse;

/** One page of a list endpoint. */
export interface Page<T> {
  items: T[];
  /** With `totalExact: false`, a lower bound (the server stops counting past the page). */
  total: number;
  totalExact?: boolean;
  limit: number;
  offset: number;
}

/** Query of a list call (`q` searches where the list supports it). */
export type ListParams = PageParams;

/** One problem with one request field, as the server reports it in `details.fields`. */
export type { FieldIssue };
