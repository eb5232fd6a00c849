import { Group } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { IconAction } from './icon-action';

interface RowActionsProps {
  /** The row's name, read out by screen readers ("Edit Anna Nowak"). */
  name: string;
  onEdit?: () => void;
  onDelete?: () => void;
}

/** Edit and delete icons at the end of a table row. */
export function RowActions({ name, onEdit, onDelete }: RowActionsProps) {
  const { t } = useTranslation();
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      {onEdit ? (
        <IconAction
          color="gray"
          onClick={onEdit}
          label={t('actions.editNamed', { name })}
          tooltip={t('actions.edit')}
          icon={<IconPencil size={18} />}
        />
      ) : null}
      {onDelete ? (
        <IconAction
          color="red"
          onClick={onDelete}
          label={t('actions.deleteNamed', { name })}
          tooltip={t('actions.delete')}
          icon={<IconTrash size={18} />}
        />
      ) : null}
    </Group>
  );
}
