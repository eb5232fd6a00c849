import { AppShell, NavLink, ScrollArea, Text } from '@mantine/core';
import {
  IconAddressBook,
  IconBook2,
  IconBuildingStore,
  IconFolders,
  IconHistory,
  IconMail,
  IconMailForward,
  IconSend,
  IconSettings,
  IconUserCircle,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useIsAdmin, useSession } from '../features/auth/session-query';

interface NavItemProps {
  to: string;
  label: string;
  icon: ReactNode;
}

function NavItem({ to, label, icon }: NavItemProps) {
  const { pathname } = useLocation();
  const active = pathname === to || pathname.startsWith(`${to}/`);
  return (
    <NavLink
      component={Link}
      to={to}
      label={label}
      leftSection={icon}
      active={active}
      aria-current={active ? 'page' : undefined}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
    />
  );
}

/**
 * Side navigation, following the reference product's map (SPEC §2.2): Account management →
 * Employees, Groups, Projects, Contacts, and Email → Outgoing messages → the two address lists.
 */
export function AppNavbar() {
  const { t } = useTranslation();
  const { workspace } = useSession();
  const isAdmin = useIsAdmin();

  return (
    <>
      <AppShell.Section grow component={ScrollArea} p="sm">
        <Text
          size="xs"
          fw={700}
          c="dimmed"
          tt="uppercase"
          px="sm"
          pt="xs"
          pb={6}
          style={{ letterSpacing: '0.04em' }}
        >
          {t('nav.accountManagement')}
        </Text>
        <NavItem to="/employees" label={t('nav.employees')} icon={<IconUsers size={18} />} />
        <NavItem to="/groups" label={t('nav.groups')} icon={<IconUsersGroup size={18} />} />
        <NavItem to="/projects" label={t('nav.projects')} icon={<IconFolders size={18} />} />
        <NavItem to="/contacts" label={t('nav.contacts')} icon={<IconAddressBook size={18} />} />
        {isAdmin ? (
          <NavItem to="/audit-log" label={t('nav.auditLog')} icon={<IconHistory size={18} />} />
        ) : null}
        <NavItem to="/settings" label={t('nav.settings')} icon={<IconSettings size={18} />} />
        <NavLink
          label={t('nav.email')}
          leftSection={<IconMail size={18} />}
          defaultOpened
          childrenOffset={12}
          style={{ borderRadius: 'var(--mantine-radius-md)' }}
        >
          <NavLink
            label={t('nav.outgoingMessages')}
            leftSection={<IconSend size={16} />}
            defaultOpened
            childrenOffset={12}
            style={{ borderRadius: 'var(--mantine-radius-md)' }}
          >
            <NavItem
              to="/email/company-addresses"
              label={t('nav.companyAddresses')}
              icon={<IconBuildingStore size={16} />}
            />
            <NavItem
              to="/email/employee-addresses"
              label={t('nav.employeeAddresses')}
              icon={<IconUserCircle size={16} />}
            />
          </NavLink>
          <NavItem
            to="/email/delivery-log"
            label={t('nav.deliveryLog')}
            icon={<IconMailForward size={16} />}
          />
          <NavItem to="/help/common-causes" label={t('nav.commonCauses')} icon={<IconBook2 size={16} />} />
        </NavLink>
      </AppShell.Section>
      <AppShell.Section p="md" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="xs" c="dimmed">
          {t('nav.workspace')}
        </Text>
        <Text size="sm" fw={500} truncate>
          {workspace.name}
        </Text>
      </AppShell.Section>
    </>
  );
}
