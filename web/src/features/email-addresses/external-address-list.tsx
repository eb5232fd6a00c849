import {
  Button,
  EmptyState,
  Group,
  Pagination,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconBuildingStore, IconMailCog, IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ingestApi } from '../../shared/api/ingest-api';
import { ADDRESSES_KEY, type AddressOwner, mailApi, ownerKey } from '../../shared/api/mail-api';
import type { EmailAddress } from '../../shared/api/mail-types';
import type { Employee } from '../../shared/api/types';
import { useUrlParams } from '../../shared/lib/url-params';
import { ConfirmDeleteModal } from '../../shared/ui/confirm-delete-modal';
import { notifyError, notifySuccess } from '../../shared/ui/notify';
import { QueryErrorState } from '../../shared/ui/query-error-state';
import { useIsAdmin, useSession } from '../auth/session-query';
import classes from './address-cards.module.css';
import { AddressDialog } from './address-dialog';
import { AddressRow } from './address-row';
import { AddressTestModal } from './address-test-modal';
import { EnableReviewModal, narrowingOf } from './enable-review-modal';
import { SenderPreviewPanel } from './sender-preview-panel';
import { TestEmailModal } from './test-email-modal';
import { TestEmailOffer } from './test-email-offer';
import { useNameLookup } from './use-name-lookup';
import { type OAuthResume, useOAuthReturn } from './use-oauth-return';
import { usePresets } from './use-presets';

/** Addresses per page (the API pages lists; a company may have hundreds of addresses). */
const PAGE_SIZE = 50;

/** Which list to show: the company's shared addresses or one employee's own. */
export type ExternalAddressListProps = { scope: 'company' } | { scope: 'employee'; employee: Employee };

/**
 * The list of external email addresses (SPEC M5–M8): one component for the company page,
 * the employee page and the employee card's tab (M7). Managers add, edit, test, disable and
 * delete; employees see the company addresses they may use, read-only (M48). Admins get
 * the sender preview under it (M28).
 */
export function ExternalAddressList(props: ExternalAddressListProps) {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const { employee: me, workspace } = useSession();
  const queryClient = useQueryClient();
  const isCompany = props.scope === 'company';
  const owner: AddressOwner = isCompany
    ? { scope: 'company' }
    : { scope: 'employee', employeeId: props.employee.id };
  const ownList = !isCompany && props.employee.id === me.id;
  // M48: employees manage their own addresses unless the workspace turned that off (the
  // server enforces it; asking only hides buttons that would be refused).
  const settings = useQuery({
    queryKey: ['workspace'],
    queryFn: ({ signal }) => mailApi.workspace(signal),
    enabled: ownList && !isAdmin,
    staleTime: 5 * 60_000,
  });
  const canManage = isCompany
    ? isAdmin
    : isAdmin || (ownList && settings.data?.employeesManageOwnAddresses !== false);
  const defaultSenderName = isCompany ? workspace.name : props.employee.name;

  const [page, setPage] = useState(1);
  const offset = (page - 1) * PAGE_SIZE;
  const pageQuery = useQuery({
    queryKey: [...ownerKey(owner), 'page', offset],
    queryFn: ({ signal }) => mailApi.listPage(owner, { limit: PAGE_SIZE, offset }, signal),
    placeholderData: keepPreviousData,
  });
  const list = { ...pageQuery, data: pageQuery.data?.items };
  const total = pageQuery.data?.total ?? 0;
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // A delete can leave the current page past the end: step back.
  const pastEnd = pageQuery.data !== undefined && pageQuery.data.items.length === 0 && page > 1;
  useEffect(() => {
    if (pastEnd) setPage((p) => Math.max(1, Math.min(p - 1, lastPage)));
  }, [pastEnd, lastPage]);
  const names = useNameLookup(isCompany);
  const [editing, setEditing] = useState<EmailAddress | 'new' | null>(null);
  // `?open=<id>` opens that address's settings (the link of a refused duplicate, issue 8 item 3).
  const { params: searchParams, update } = useUrlParams();
  const openId = searchParams.get('open');
  const opening = useQuery({
    queryKey: [...ownerKey(owner), 'item', openId],
    queryFn: ({ signal }) => mailApi.get(owner, openId!, signal),
    enabled: openId !== null,
    retry: false,
  });
  useEffect(() => {
    if (!openId || (!opening.data && !opening.error)) return;
    if (opening.data) setEditing(opening.data);
    update(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete('open');
        return next;
      },
      { replace: true },
    );
  }, [openId, opening.data, opening.error, update]);
  // Back from "Connect with Google/Microsoft": reopen the dialog connected (M47).
  const [resume, setResume] = useState<OAuthResume | null>(null);
  const presetList = usePresets();
  const reopen = useCallback((address: EmailAddress | null, r: OAuthResume) => {
    setResume(r);
    setEditing(address ?? 'new');
  }, []);
  useOAuthReturn(owner, presetList.data, reopen);
  const [testing, setTesting] = useState<EmailAddress | null>(null);
  const [testEmail, setTestEmail] = useState<EmailAddress | null>(null);
  /** The address just added: the list offers a test email for it (M23, optional). */
  const [justAdded, setJustAdded] = useState<EmailAddress | null>(null);
  const [deleting, setDeleting] = useState<EmailAddress | null>(null);
  const lastDeleting = useRef<EmailAddress | null>(null);
  if (deleting) lastDeleting.current = deleting;

  const refresh = () => queryClient.invalidateQueries({ queryKey: [ADDRESSES_KEY] });
  const [reviewing, setReviewing] = useState<EmailAddress | null>(null);
  const toggle = useMutation({
    // `asIs`: the user confirmed enabling an address whose restriction was emptied (M13, M24).
    mutationFn: ({ address, asIs }: { address: EmailAddress; asIs?: boolean }) => {
      const code = asIs ? narrowingOf(address) : null;
      return mailApi.update(owner, address.id, {
        active: !address.active,
        ...(code === 'access_list_emptied' ? { access: address.access } : {}),
        ...(code === 'projects_emptied' ? { projectIds: address.projectIds } : {}),
      });
    },
    onSuccess: async (saved) => {
      await refresh();
      setReviewing(null);
      notifySuccess(t(saved.active ? 'addresses.enabled' : 'addresses.disabled', { email: saved.email }));
    },
    onError: (error) => notifyError(error, t),
  });
  const checkNow = useMutation({
    mutationFn: (address: EmailAddress) => ingestApi.checkNow(address.id),
    onSuccess: (_, address) => notifySuccess(t('ingest.checkNowStarted', { email: address.email })),
    onError: (error) => notifyError(error, t),
  });
  const remove = useMutation({
    mutationFn: (address: EmailAddress) => mailApi.remove(owner, address.id),
    onSuccess: async (_, address) => {
      await refresh();
      setDeleting(null);
      notifySuccess(t('addresses.deleted', { email: address.email }));
    },
    onError: (error) => notifyError(error, t),
  });

  const addButton = canManage ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
      {t('addresses.add')}
    </Button>
  ) : null;
  const label = isCompany ? t('addresses.company.title') : t('addresses.employee.listLabel');
  const narrow = useMediaQuery('(max-width: 47.99em)') ?? false;
  const columns = [
    t('addresses.columns.address'),
    t('addresses.columns.senderName'),
    t('addresses.columns.projects'),
    ...(isCompany ? [t('addresses.columns.access')] : []),
    t('addresses.columns.status'),
    t('addresses.columns.lastTest'),
  ];

  let body: ReactNode;
  if (list.isError) {
    body = <QueryErrorState error={list.error} onRetry={() => void list.refetch()} />;
  } else if (!list.data) {
    body = (
      <Stack p="md" gap="sm" aria-busy="true">
        <Skeleton height={16} />
        <Skeleton height={16} />
        <Skeleton height={16} width="60%" />
      </Stack>
    );
  } else if (list.data.length === 0) {
    body = (
      <EmptyState
        py={56}
        px="md"
        variant="light"
        icon={isCompany ? <IconBuildingStore /> : <IconMailCog />}
        title={
          isCompany
            ? t('addresses.company.emptyTitle')
            : ownList && !isAdmin
              ? t('addresses.employee.emptyTitleOwn')
              : t('addresses.employee.emptyTitle', { name: props.employee.name })
        }
        description={
          !canManage
            ? t(isCompany ? 'addresses.company.emptyReadOnly' : 'list.emptyReadOnly')
            : isCompany
              ? t('addresses.company.emptyDescription')
              : t(
                  ownList && !isAdmin
                    ? 'addresses.employee.emptyDescriptionOwn'
                    : 'addresses.employee.emptyDescription',
                )
        }
      >
        {addButton ? <EmptyState.Actions>{addButton}</EmptyState.Actions> : null}
      </EmptyState>
    );
  } else {
    body = (
      // Phones get cards (issue 8 item 6): the same rows, laid out by address-cards.module.css.
      <Table.ScrollContainer minWidth={narrow ? 0 : isCompany ? 980 : 860}>
        <Table
          horizontalSpacing="md"
          verticalSpacing="sm"
          highlightOnHover
          aria-label={label}
          className={classes.cards}
          data-testid="address-table"
        >
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column}>{column}</Table.Th>
              ))}
              {canManage ? (
                <Table.Th>
                  <VisuallyHidden>{t('list.actions')}</VisuallyHidden>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((address) => (
              <AddressRow
                key={address.id}
                address={address}
                isCompany={isCompany}
                defaultSenderName={defaultSenderName}
                names={names}
                labels={{
                  address: t('addresses.columns.address'),
                  senderName: t('addresses.columns.senderName'),
                  projects: t('addresses.columns.projects'),
                  access: t('addresses.columns.access'),
                  status: t('addresses.columns.status'),
                  lastTest: t('addresses.columns.lastTest'),
                }}
                actions={
                  canManage
                    ? {
                        onEdit: () => setEditing(address),
                        onTest: () => setTesting(address),
                        ...(address.active && address.passwordSet
                          ? { onSendTestEmail: () => setTestEmail(address) }
                          : {}),
                        ...(address.active && address.options.collectReplies
                          ? {
                              onCheckNow: () => checkNow.mutate(address),
                              checking: checkNow.isPending && checkNow.variables?.id === address.id,
                            }
                          : {}),
                        onToggle: () =>
                          !address.active && narrowingOf(address)
                            ? setReviewing(address)
                            : toggle.mutate({ address }),
                        toggling: toggle.isPending && toggle.variables?.address.id === address.id,
                        onDelete: () => setDeleting(address),
                      }
                    : null
                }
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Stack gap="lg">
      {justAdded ? (
        <TestEmailOffer
          address={justAdded}
          onClose={() => setJustAdded(null)}
          onSend={(address) => {
            setTestEmail(address);
            setJustAdded(null);
          }}
        />
      ) : null}
      <Paper withBorder radius="md" shadow="xs">
        {list.data && list.data.length > 0 && addButton ? (
          <Group
            justify="space-between"
            px="md"
            py="sm"
            style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
          >
            <Text size="sm" c="dimmed">
              {t('addresses.count', { count: total })}
            </Text>
            {addButton}
          </Group>
        ) : null}
        {body}
        {lastPage > 1 ? (
          <Group
            justify="space-between"
            px="md"
            py="sm"
            style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
          >
            <Text size="sm" c="dimmed">
              {pageQuery.data?.totalExact === false
                ? t('list.rangeAtLeast', {
                    from: offset + 1,
                    to: offset + (list.data?.length ?? 0),
                    total: total - 1,
                  })
                : t('list.range', { from: offset + 1, to: offset + (list.data?.length ?? 0), total })}
            </Text>
            <Pagination
              size="sm"
              total={lastPage}
              value={Math.min(page, lastPage)}
              onChange={setPage}
              getControlProps={(control) => ({
                'aria-label': control === 'next' ? t('list.nextPage') : t('list.previousPage'),
              })}
            />
          </Group>
        ) : null}
      </Paper>
      {isAdmin ? <SenderPreviewPanel fixedEmployee={isCompany ? null : props.employee} /> : null}
      <AddressDialog
        opened={editing !== null}
        owner={owner}
        address={editing === 'new' ? null : editing}
        defaultSenderName={defaultSenderName}
        onClose={() => {
          setEditing(null);
          setResume(null);
        }}
        onCreated={setJustAdded}
        resume={resume}
      />
      <EnableReviewModal
        address={reviewing}
        onClose={() => setReviewing(null)}
        onOpenSettings={(address) => {
          setReviewing(null);
          setEditing(address);
        }}
        onEnableAsIs={(address) => toggle.mutate({ address, asIs: true })}
        enabling={toggle.isPending}
      />
      <TestEmailModal
        address={testEmail}
        onClose={() => setTestEmail(null)}
        onEdit={(address) => {
          setTestEmail(null);
          setEditing(address);
        }}
      />
      <AddressTestModal
        address={testing}
        onClose={() => setTesting(null)}
        onEdit={(address) => {
          setTesting(null);
          setEditing(address);
        }}
        onSendTestEmail={(address) => {
          setTesting(null);
          setTestEmail(address);
        }}
      />
      <ConfirmDeleteModal
        opened={deleting !== null}
        title={t('addresses.deleteTitle')}
        message={t('addresses.deleteMessage', { email: lastDeleting.current?.email ?? '' })}
        loading={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
    </Stack>
  );
}
