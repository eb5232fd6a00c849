import { Center, Loader } from '@mantine/core';
import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { RequireAuth } from '../features/auth/require-auth';
import { NotFoundPage } from './not-found-page';

// Each page is its own chunk (issue 8 item 8): the login page loads only what it needs, and a
// page's code arrives when it is first opened. One line per page keeps merges easy.
const page = <K extends string>(load: () => Promise<Record<K, () => ReactNode>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const AppLayout = page(() => import('./app-layout'), 'AppLayout');
const LoginPage = page(() => import('../features/auth/login-page'), 'LoginPage');
const EmployeesPage = page(() => import('../features/employees/employees-page'), 'EmployeesPage');
const EmployeeCardPage = page(() => import('../features/employees/employee-card-page'), 'EmployeeCardPage');
const GroupsPage = page(() => import('../features/groups/groups-page'), 'GroupsPage');
const ProjectsPage = page(() => import('../features/projects/projects-page'), 'ProjectsPage');
const ContactsPage = page(() => import('../features/contacts/contacts-page'), 'ContactsPage');
const CompanyAddressesPage = page(
  () => import('../features/email-addresses/company-addresses-page'),
  'CompanyAddressesPage',
);
const EmployeeAddressesPage = page(
  () => import('../features/email-addresses/employee-addresses-page'),
  'EmployeeAddressesPage',
);
const CommonCausesPage = page(() => import('../features/help/common-causes-page'), 'CommonCausesPage');
const AuditLogPage = page(() => import('../features/audit/audit-log-page'), 'AuditLogPage');
const DeliveryLogPage = page(() => import('../features/delivery/delivery-log-page'), 'DeliveryLogPage');
const SettingsPage = page(() => import('../features/settings/settings-page'), 'SettingsPage');
const ProjectTasksPage = page(() => import('../features/tasks/project-tasks-page'), 'ProjectTasksPage');
const TaskPage = page(() => import('../features/tasks/task-page'), 'TaskPage');

function Loading() {
  return (
    <Center h="50vh">
      <Loader />
    </Center>
  );
}

/** URL map of the UI (the server answers index.html for every non-API path). */
export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
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
          <Route path="/email/delivery-log" element={<DeliveryLogPage />} />
          <Route path="/help/common-causes" element={<CommonCausesPage />} />
          <Route path="/audit-log" element={<AuditLogPage />} />
          <Route path="/settings" element={<SettingsPage />} />
          <Route path="/projects/:id/tasks" element={<ProjectTasksPage />} />
          <Route path="/tasks/:id" element={<TaskPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
