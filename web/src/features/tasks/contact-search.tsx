import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contactsApi } from '../../shared/api/resources';

/** Picks one contact of the workspace by name or address (searches as you type). */
export function ContactSearch({
  exclude,
  onPick,
  disabled,
}: {
  exclude: readonly string[];
  onPick: (contactId: string) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const query = useQuery({
    queryKey: [contactsApi.key, 'search', q],
    queryFn: ({ signal }) => contactsApi.list({ limit: 20, offset: 0, q }, signal),
  });
  const data = (query.data?.items ?? [])
    .filter((c) => !exclude.includes(c.id))
    .map((c) => ({ value: c.id, label: c.emails[0] ? `${c.name} <${c.emails[0].email}>` : c.name }));
  return (
    <Select
      label={t('tasks.addContact')}
      placeholder={t('tasks.searchContacts')}
      searchable
      clearable
      data={data}
      value={null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={query.isFetching ? undefined : t('tasks.noContactsFound')}
      onChange={(value) => {
        if (value) {
          onPick(value);
          setSearch('');
        }
      }}
      disabled={disabled}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
