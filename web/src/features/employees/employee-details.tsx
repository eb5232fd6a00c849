import { Code, DataList, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Employee } from '../../shared/api/types';
import { formatDateTime } from '../../shared/lib/format-date';

/** Read-only view of an employee for people who may not edit it. */
export function EmployeeDetails({ employee }: { employee: Employee }) {
  const { t, i18n } = useTranslation();
  const signature = employee.signatureText ? (
    <Code block>{employee.signatureText}</Code>
  ) : (
    <Text span c="dimmed" size="sm">
      {t('employees.noSignature')}
    </Text>
  );
  const rows: [string, ReactNode][] = [
    [t('employees.fields.name'), employee.name],
    [t('employees.fields.email'), employee.email],
    [t('employees.fields.role'), t(`roles.${employee.role}`)],
    [t('employees.fields.language'), t(`language.${employee.language}`)],
    [t('employees.fields.status'), t(employee.active ? 'employees.active' : 'employees.inactive')],
    [t('employees.fields.signatureText'), signature],
    [t('common.createdAt'), formatDateTime(employee.createdAt, i18n.language)],
    [t('common.updatedAt'), formatDateTime(employee.updatedAt, i18n.language)],
  ];
  return (
    <DataList withDivider labelWidth={200}>
      {rows.map(([label, value]) => (
        <DataList.Item key={label}>
          <DataList.ItemLabel>{label}</DataList.ItemLabel>
          <DataList.ItemValue>{value}</DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}
