import { createResourceApi } from './resource-api';
import type {
  Contact,
  ContactCreateInput,
  ContactInput,
  Employee,
  EmployeeCreateInput,
  EmployeeInput,
  Group,
  GroupCreateInput,
  GroupInput,
  Project,
  ProjectCreateInput,
  ProjectInput,
} from './types';

export const employeesApi = createResourceApi<Employee, EmployeeCreateInput, EmployeeInput>(
  'employees',
  '/api/employees',
);
export const groupsApi = createResourceApi<Group, GroupCreateInput, GroupInput>('groups', '/api/groups');
export const projectsApi = createResourceApi<Project, ProjectCreateInput, ProjectInput>(
  'projects',
  '/api/projects',
);
export const contactsApi = createResourceApi<Contact, ContactCreateInput, ContactInput>(
  'contacts',
  '/api/contacts',
);

/** The largest page the API serves; pickers load one such page. */
export const MAX_PAGE_SIZE = 100;
