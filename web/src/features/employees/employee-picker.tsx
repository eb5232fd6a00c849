import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { employeesApi } from '../../shared/api/resources';
import type { Employee } from '../../shared/api/types';
import { useResourceList } from '../../shared/lib/use-resource';

const PICKER_SIZE = 20;

/** "Anna Nowak <anna@example.com>". */
export const employeeOptionLabel = (employee: Employee) => `${employee.name} <${employee.email}>`;

interface EmployeePickerProps extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue'> {
  /** The picked employee (loaded by the caller), so its label shows before any search. */
  selected: Employee | null;
  onPick: (employee: Employee) => void;
}

/**
 * A searchable employee select that asks the server (employees can be many): the typed text
 * is a search, debounced; the picked employee's label is not.
 */
export function EmployeePicker({ selected, onPick, ...props }: EmployeePickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const selectedLabel = selected ? employeeOptionLabel(selected) : '';
  const q = debounced.trim() && debounced !== selectedLabel ? debounced.trim() : undefined;
  const options = useResourceList(employeesApi, { limit: PICKER_SIZE, offset: 0, q });
  const items = options.data?.items ?? [];
  const data = items.map((item) => ({ value: item.id, label: employeeOptionLabel(item) }));
  if (selected && !data.some((option) => option.value === selected.id)) {
    data.unshift({ value: selected.id, label: selectedLabel });
  }

  return (
    <Select
      searchable
      leftSection={<IconSearch size={16} />}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={options.isFetching ? t('states.loading') : t('addresses.employee.pickNothing')}
      data={data}
      value={selected?.id ?? null}
      allowDeselect={false}
      onChange={(value) => {
        const picked = items.find((item) => item.id === value) ?? (selected?.id === value ? selected : null);
        if (picked) onPick(picked);
      }}
      {...props}
    />
  );
}
