import { notifications } from '@mantine/notifications';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type AddressOwner, mailApi } from '../../shared/api/mail-api';
import type { EmailAddress, MailPreset } from '../../shared/api/mail-types';
import { oauthApi } from '../../shared/api/oauth-api';
import { notifyError } from '../../shared/ui/notify';
import { type AddressValues, applyPreset, emptyValues, valuesOf } from './address-form-model';
import { currentPathWithout, OAUTH_PARAMS, ownerId, takeDraft } from './oauth-draft';

const PRESET_OF = { google: 'gmail', microsoft: 'microsoft' } as const;
const ERRORS = new Set(['denied', 'invalid', 'mismatch', 'unavailable']);

export type OAuthResume = { values: AddressValues; variantId: string | null };

/**
 * Back from Google/Microsoft (M47): the callback sent the browser to this list with
 * `?oauth=<grant>` (and `oauthAddress` when reconnecting) or `?oauthError=`. Reopens the
 * dialog with the form as it was, now connected; the parameters leave the address bar.
 */
export function useOAuthReturn(
  owner: AddressOwner,
  presets: readonly MailPreset[] | undefined,
  open: (address: EmailAddress | null, resume: OAuthResume) => void,
) {
  const { t } = useTranslation();
  const done = useRef(false);
  useEffect(() => {
    if (done.current || !presets) return;
    const params = new URLSearchParams(window.location.search);
    const grantId = params.get('oauth');
    const error = params.get('oauthError');
    if (!grantId && !error) return;
    done.current = true;
    window.history.replaceState(window.history.state, '', currentPathWithout(OAUTH_PARAMS));
    if (error) {
      takeDraft();
      notifications.show({
        color: 'red',
        message: t(`oauth.error.${ERRORS.has(error) ? (error as 'invalid') : 'invalid'}`),
        autoClose: 10_000,
      });
      return;
    }
    const addressId = params.get('oauthAddress');
    void (async () => {
      try {
        const grant = await oauthApi.grant(grantId!);
        const address = addressId ? await mailApi.get(owner, addressId) : null;
        const draft = takeDraft();
        const mine = draft && draft.owner === ownerId(owner) && draft.addressId === (address?.id ?? null);
        let base: AddressValues;
        let variantId: string | null = null;
        if (mine) {
          base = draft.values;
          variantId = draft.variantId;
        } else if (address) {
          base = valuesOf(address);
        } else {
          const preset = presets.find((p) => p.id === PRESET_OF[grant.provider]);
          const start = { ...emptyValues(), email: grant.email, login: grant.email };
          base = preset ? applyPreset(start, preset, null) : start;
        }
        const values: AddressValues = {
          ...base,
          email: address ? base.email : grant.email,
          login: grant.email,
          password: '',
          oauthGrantId: grant.id,
          oauthEmail: grant.email,
        };
        open(address, { values, variantId });
      } catch (e) {
        notifyError(e, t);
      }
    })();
  }, [owner, presets, open, t]);
}
