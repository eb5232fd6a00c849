import { createResourceApi } from './resource-api';
import type {
  Contact,
  ContactInput,
  Employee,
  EmployeeInput,
  Group,
  GroupInput,
  Project,
  ProjectInput,
} from './types';

export const employeesApi = createResourceApi<Employee, EmployeeInput>('employees', '/api/employees');
export const groupsApi = createResourceApi<Group, GroupInput>('groups', '/api/groups');
export const projectsApi = createResourceApi<Project, ProjectInput>('projects', '/api/projects');
export const contactsApi = createResourceApi<Contact, ContactInput>('contacts', '/api/contacts');

/** The largest page the API serves; pickers load one such page. */
export const MAX_PAGE_SIZE = 100;
