import { Avatar, Badge, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconUser } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { logOut } from '../../shared/api/session-api';
import { initials } from '../../shared/lib/initials';
import { notifyError } from '../../shared/ui/notify';
import { SESSION_KEY, useSession } from './session-query';

/** Avatar button in the header: who is logged in, their card, and logout. */
export function UserMenu() {
  const { t } = useTranslation();
  const { employee, workspace } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const onLogout = async () => {
    try {
      await logOut();
    } catch (error) {
      // The session may already be gone server-side; leave the UI logged out either way.
      notifyError(error, t);
    }
    queryClient.setQueryData(SESSION_KEY, null);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
    navigate('/login', { replace: true });
  };

  return (
    <Menu position="bottom-end" width={260} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('userMenu.open')} px={6} py={4} style={{ borderRadius: 8 }}>
          <Group gap="xs" wrap="nowrap">
            <Avatar color="indigo" radius="xl" size={32}>
              {initials(employee.name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" maw={180} truncate>
              {employee.name}
            </Text>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {employee.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {employee.email}
          </Text>
          <Group gap={6} mt={6}>
            <Badge size="xs" variant="light" color={employee.role === 'admin' ? 'indigo' : 'gray'}>
              {t(`roles.${employee.role}`)}
            </Badge>
            <Text size="xs" c="dimmed" truncate>
              {workspace.name}
            </Text>
          </Group>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item leftSection={<IconUser size={16} />} onClick={() => navigate(`/employees/${employee.id}`)}>
          {t('userMenu.myCard')}
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void onLogout()}>
          {t('userMenu.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
