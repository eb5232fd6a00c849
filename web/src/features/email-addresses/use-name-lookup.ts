import { employeesApi, groupsApi, MAX_PAGE_SIZE, projectsApi } from '../../shared/api/resources';
import { useResourceList } from '../../shared/lib/use-resource';

/** Names for ids shown in the address list (projects, and for company access: people, groups). */
export interface NameLookup {
  project(id: string): string | null;
  employee(id: string): string | null;
  group(id: string): string | null;
}

/** Loads the first page of projects (and employees and groups for access lists) once. */
export function useNameLookup(withAccess: boolean): NameLookup {
  const page = { limit: MAX_PAGE_SIZE, offset: 0 };
  const projects = useResourceList(projectsApi, page);
  const employees = useResourceList(employeesApi, page, withAccess);
  const groups = useResourceList(groupsApi, page, withAccess);
  const find = (items: { id: string; name: string }[] | undefined) => (id: string) =>
    items?.find((item) => item.id === id)?.name ?? null;
  return {
    project: find(projects.data?.items),
    employee: find(employees.data?.items),
    group: find(groups.data?.items),
  };
}
