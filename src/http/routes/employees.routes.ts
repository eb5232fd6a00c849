import type { EmployeeListItem } from '../../db/repositories/employee.repository.js';
import type { EmployeeService } from '../../services/employees/employee-service.js';
import { Employee, EmployeeCreateBody, EmployeePatchBody } from '../schemas/resources.schema.js';
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

export function employeeRoutes(app: App, service: EmployeeService) {
  crudRoutes(app, {
    name: 'employees',
    item: Employee,
    createBody: EmployeeCreateBody,
    patchBody: EmployeePatchBody,
    present: presentEmployee,
    service,
    writeErrors: [403, 409],
  });
}
