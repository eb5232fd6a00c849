import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeLanguage } from '../../i18n/language';
import { saveSessionLanguage } from '../../shared/api/session-api';
import type { Language, Session } from '../../shared/api/types';
import { notifyError } from '../../shared/ui/notify';
import { SESSION_KEY } from './session-query';

/**
 * Switches the UI language at once, remembers it on this device and, when someone is
 * logged in, on their account (so server messages and e-mails follow it too).
 */
export function useChangeLanguage() {
  const { i18n, t } = useTranslation();
  const queryClient = useQueryClient();
  return async (language: Language) => {
    storeLanguage(language);
    if (i18n.language !== language) await i18n.changeLanguage(language);
    const session = queryClient.getQueryData<Session | null>(SESSION_KEY);
    if (!session || session.employee.language === language) return;
    try {
      queryClient.setQueryData(SESSION_KEY, await saveSessionLanguage(language));
    } catch (error) {
      notifyError(error, t, t('language.saveFailed'));
    }
  };
}
