import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDeleteModal } from './confirm-delete-modal';
import { notifyError, notifySuccess } from './notify';

interface Deletable {
  id: string;
  name: string;
}

interface DeleteItemModalProps<T extends Deletable> {
  /** The collection: its cache key root and delete call. */
  api: { key: string; remove(id: string): Promise<void> };
  /** Other resources whose cached data mention this one. */
  related?: readonly string[];
  /** The item to delete; null keeps the dialog closed. */
  item: T | null;
  title: string;
  message: (name: string) => string;
  deletedMessage: (name: string) => string;
  onClose: () => void;
  onDeleted?: () => void;
}

/** "Delete X?" confirmation that performs the delete and reports the outcome as a toast. */
export function DeleteItemModal<T extends Deletable>(props: DeleteItemModalProps<T>) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // Keep the name on screen while the dialog animates out after `item` went null.
  const last = useRef<T | null>(null);
  if (props.item) last.current = props.item;
  const name = last.current?.name ?? '';
  const remove = useMutation({
    mutationFn: (id: string) => props.api.remove(id),
    onSuccess: () =>
      Promise.all(
        [props.api.key, ...(props.related ?? [])].map((key) =>
          queryClient.invalidateQueries({ queryKey: [key] }),
        ),
      ),
  });

  return (
    <ConfirmDeleteModal
      opened={props.item !== null}
      title={props.title}
      message={props.message(name)}
      loading={remove.isPending}
      onClose={props.onClose}
      onConfirm={() => {
        const item = props.item;
        if (!item) return;
        remove.mutate(item.id, {
          onSuccess: () => {
            notifySuccess(props.deletedMessage(item.name));
            props.onClose();
            props.onDeleted?.();
          },
          onError: (error) => notifyError(error, t),
        });
      }}
    />
  );
}
