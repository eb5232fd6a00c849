import { AppShell, Box, Burger, Center, Group, Loader } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router';
import { LanguageSwitch } from '../features/auth/language-switch';
import { UserMenu } from '../features/auth/user-menu';
import { SandboxBanner } from '../features/sandbox/sandbox-banner';
import { NameInvite } from '../features/settings/name-invite';
import { ProductMark } from '../shared/ui/product-mark';
import { AppNavbar } from './app-navbar';

/** The shell around every logged-in page: header, side navigation, content. */
export function AppLayout() {
  const { t } = useTranslation();
  const [navOpened, nav] = useDisclosure(false);
  const { pathname } = useLocation();

  // On phones the navigation is a drawer: close it once the user has picked a page.
  useEffect(() => {
    if (pathname) nav.close();
  }, [pathname, nav.close]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: { sm: 280, lg: 320 }, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'md', md: 'xl' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
            />
            <ProductMark />
          </Group>
          <Group gap="md" wrap="nowrap">
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar aria-label={t('nav.label')}>
        <AppNavbar />
      </AppShell.Navbar>
      <AppShell.Main bg="var(--mantine-color-gray-0)">
        <Box maw={1200} mx="auto">
          <SandboxBanner />
          <NameInvite />
          {/* Pages load as their own chunks; the shell stays while one arrives. */}
          <Suspense
            fallback={
              <Center h="40vh">
                <Loader />
              </Center>
            }
          >
            <Outlet />
          </Suspense>
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
