import { useQuery } from '@tanstack/react-query';
import { mailApi } from '../../shared/api/mail-api';
import { contactsApi, employeesApi, groupsApi, MAX_PAGE_SIZE, projectsApi } from '../../shared/api/resources';
import { useResourceList } from '../../shared/lib/use-resource';
import { useSession } from '../auth/session-query';

/**
 * Names for the targets of audit entries. The log stores ids (and, for addresses, usually
 * the email): the first page of each collection is enough for a small workspace; anything
 * else (deleted, or further down a long list) falls back to what the entry itself says.
 */
export function useTargetNames() {
  const { workspace } = useSession();
  const page = { limit: MAX_PAGE_SIZE, offset: 0 };
  const employees = useResourceList(employeesApi, page);
  const groups = useResourceList(groupsApi, page);
  const projects = useResourceList(projectsApi, page);
  const contacts = useResourceList(contactsApi, page);
  const company = useQuery({
    queryKey: ['email-addresses', 'company'],
    queryFn: ({ signal }) => mailApi.list({ scope: 'company' }, signal),
  });
  const all: { id: string; name: string }[] = [
    ...(employees.data?.items ?? []),
    ...(groups.data?.items ?? []),
    ...(projects.data?.items ?? []),
    ...(contacts.data?.items ?? []),
    ...(company.data ?? []).map((a) => ({ id: a.id, name: a.email })),
  ];
  return (type: string | null, id: string | null, details: Record<string, unknown>): string | null => {
    if (type === 'workspace') return workspace.name;
    const known = id ? all.find((item) => item.id === id)?.name : undefined;
    if (known) return known;
    if (typeof details.email === 'string') return details.email;
    if (typeof details.name === 'string') return details.name;
    return null;
  };
}
