import { ActionIcon, Group, Tooltip } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

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
        <Tooltip label={t('actions.edit')} withArrow>
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={onEdit}
            aria-label={t('actions.editNamed', { name })}
          >
            <IconPencil size={18} />
          </ActionIcon>
        </Tooltip>
      ) : null}
      {onDelete ? (
        <Tooltip label={t('actions.delete')} withArrow>
          <ActionIcon
            variant="subtle"
            color="red"
            onClick={onDelete}
            aria-label={t('actions.deleteNamed', { name })}
          >
            <IconTrash size={18} />
          </ActionIcon>
        </Tooltip>
      ) : null}
    </Group>
  );
}
