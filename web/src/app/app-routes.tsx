import { Navigate, Route, Routes } from 'react-router';
import { AuditLogPage } from '../features/audit/audit-log-page';
import { LoginPage } from '../features/auth/login-page';
import { RequireAuth } from '../features/auth/require-auth';
import { ContactsPage } from '../features/contacts/contacts-page';
import { CompanyAddressesPage } from '../features/email-addresses/company-addresses-page';
import { EmployeeAddressesPage } from '../features/email-addresses/employee-addresses-page';
import { EmployeeCardPage } from '../features/employees/employee-card-page';
import { EmployeesPage } from '../features/employees/employees-page';
import { GroupsPage } from '../features/groups/groups-page';
import { CommonCausesPage } from '../features/help/common-causes-page';
import { ProjectsPage } from '../features/projects/projects-page';
import { AppLayout } from './app-layout';
import { NotFoundPage } from './not-found-page';

/** URL map of the UI (the server answers index.html for every non-API path). */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="/employees" replace />} />
        <Route path="/employees" element={<EmployeesPage />} />
        <Route path="/employees/:id" element={<EmployeeCardPage />} />
        <Route path="/groups" element={<GroupsPage />} />
        <Route path="/projects" element={<ProjectsPage />} />
        <Route path="/contacts" element={<ContactsPage />} />
        <Route path="/email" element={<Navigate to="/email/company-addresses" replace />} />
        <Route path="/email/company-addresses" element={<CompanyAddressesPage />} />
        <Route path="/email/employee-addresses" element={<EmployeeAddressesPage />} />
        <Route path="/help/common-causes" element={<CommonCausesPage />} />
        <Route path="/audit-log" element={<AuditLogPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
