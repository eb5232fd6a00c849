import { Modal, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressOwner } from '../../shared/api/mail-api';
import type { EmailAddress, MailPreset } from '../../shared/api/mail-types';
import { AddressForm } from './address-form';
import { type AddressValues, applyPreset, emptyValues, valuesOf } from './address-form-model';
import { PresetPicker } from './preset-picker';

interface AddressDialogProps {
  opened: boolean;
  owner: AddressOwner;
  /** The address to edit; null adds a new one. */
  address: EmailAddress | null;
  defaultSenderName: string;
  onClose: () => void;
  /** After a new address was saved (the list then offers a test email, M23). */
  onCreated?: (address: EmailAddress) => void;
  /** Back from "Connect with Google/Microsoft": the form's values with the grant (M47). */
  resume?: { values: AddressValues; variantId: string | null } | null;
}

type Step =
  | { kind: 'preset'; email: string }
  | { kind: 'form'; values: AddressValues; variantId: string | null };

function DialogBody({
  owner,
  address,
  defaultSenderName,
  onClose,
  onCreated,
  resume,
}: Omit<AddressDialogProps, 'opened'>) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>(
    resume && !address ? { kind: 'form', ...resume } : { kind: 'preset', email: '' },
  );

  if (address) {
    return (
      <AddressForm
        owner={owner}
        address={address}
        startValues={resume?.values ?? valuesOf(address)}
        variantId={resume?.variantId ?? null}
        defaultSenderName={defaultSenderName}
        onDone={onClose}
      />
    );
  }
  if (step.kind === 'preset') {
    const pick = (preset: MailPreset, variantId: string | null) => {
      const email = step.email.trim();
      setStep({
        kind: 'form',
        values: applyPreset({ ...emptyValues(), email, login: email }, preset, variantId),
        variantId,
      });
    };
    return (
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('presets.intro')}
        </Text>
        <PresetPicker
          email={step.email}
          onEmailChange={(email) => setStep({ kind: 'preset', email })}
          onPick={pick}
        />
      </Stack>
    );
  }
  return (
    <FocusFirstField>
      <AddressForm
        owner={owner}
        address={null}
        startValues={step.values}
        variantId={step.variantId}
        defaultSenderName={defaultSenderName}
        onBack={(email) => setStep({ kind: 'preset', email })}
        onDone={(saved) => {
          if (saved) onCreated?.(saved);
          onClose();
        }}
      />
    </FocusFirstField>
  );
}

/**
 * After a preset is chosen the clicked card is gone; without this the focus would fall out of
 * the dialog to the page (issue 8 item 7). The form's first field takes it instead.
 */
function FocusFirstField({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current
      ?.querySelector<HTMLElement>('input:not([type="hidden"]):not([disabled]), textarea, select')
      ?.focus();
  }, []);
  return <div ref={ref}>{children}</div>;
}

/**
 * "Add external email address" / the settings of a saved one (M15–M23): a new address starts
 * with the choice of a service, then the settings form; editing opens the form directly.
 */
export function AddressDialog({ opened, address, onClose, ...rest }: AddressDialogProps) {
  const { t } = useTranslation();
  const narrow = useMediaQuery('(max-width: 48em)');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={address ? t('addressForm.editTitle', { email: address.email }) : t('addressForm.addTitle')}
      closeButtonProps={{ 'aria-label': t('actions.closeDialog') }}
      size="64rem"
      fullScreen={narrow}
      closeOnClickOutside={false}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {opened ? (
        <DialogBody key={address?.id ?? 'new'} address={address} onClose={onClose} {...rest} />
      ) : null}
    </Modal>
  );
}
