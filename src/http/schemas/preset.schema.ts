import { type Static, Type } from 'typebox';
import type * as Domain from '../../domain/presets/preset.types.js';
import { ItemsOf } from './common.js';

/** GET /api/mail-presets: the preset data (src/domain/presets/preset.types.ts) as sent. */
const Localized = Type.Object({ pl: Type.String(), en: Type.String() });
const Security = Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')]);
export const PresetEndpointView = Type.Object({
  host: Type.String(),
  port: Type.Integer(),
  security: Security,
});
const NullableEndpoint = Type.Union([PresetEndpointView, Type.Null()]);

export const PresetVariantView = Type.Object({
  id: Type.String(),
  label: Localized,
  domains: Type.Array(Type.String()),
  mxPatterns: Type.Array(Type.String()),
  smtp: Type.Optional(Type.Array(PresetEndpointView)),
  pop3: Type.Optional(NullableEndpoint),
  imap: Type.Optional(NullableEndpoint),
});

export const MailPresetView = Type.Object({
  id: Type.String(),
  name: Localized,
  domains: Type.Array(Type.String()),
  mxPatterns: Type.Array(Type.String()),
  smtp: Type.Array(PresetEndpointView),
  pop3: NullableEndpoint,
  imap: NullableEndpoint,
  defaultIncoming: Type.Union([Type.Literal('pop3'), Type.Literal('imap')]),
  auth: Type.Object({
    appPassword: Type.Union([Type.Literal('required'), Type.Literal('recommended'), Type.Literal('no')]),
    appPasswordHasNoSpaces: Type.Optional(Type.Boolean()),
    appPasswordPattern: Type.Optional(Type.String()),
    oauth: Type.Optional(Type.Union([Type.Literal('google'), Type.Literal('microsoft')])),
  }),
  notes: Type.Object({ pl: Type.Array(Type.String()), en: Type.Array(Type.String()) }),
  links: Type.Array(Type.Object({ label: Localized, url: Type.String() })),
  limits: Type.Object({
    maxConnections: Type.Integer(),
    perMinute: Type.Optional(Type.Integer()),
    perDay: Type.Optional(Type.Integer()),
    note: Type.Optional(Type.String()),
  }),
  variants: Type.Optional(Type.Array(PresetVariantView)),
  filesSentMail: Type.Optional(Type.Boolean()),
  source: Type.String(),
});

export const PresetDetectionView = Type.Object({
  presetId: Type.Union([Type.String(), Type.Null()]),
  variantId: Type.Optional(Type.String()),
  via: Type.String(),
});

export const MailPresetList = ItemsOf(MailPresetView);

/** GET /api/sandbox/newcomer (demo workspace only). */
export const SandboxNewcomerView = Type.Object({ domain: Type.String(), password: Type.String() });

export type LocalizedText = Static<typeof Localized>;
export type PresetEndpoint = Static<typeof PresetEndpointView>;
export type PresetVariant = Static<typeof PresetVariantView>;
export type MailPreset = Static<typeof MailPresetView>;
export type PresetDetection = Static<typeof PresetDetectionView>;
export type MailPresetListView = Static<typeof MailPresetList>;
export type SandboxNewcomer = Static<typeof SandboxNewcomerView>;

const endpoint = (e: Domain.PresetEndpoint): PresetEndpoint => ({
  host: e.host,
  port: e.port,
  security: e.security,
});
const endpoints = (list: readonly Domain.PresetEndpoint[]) => list.map(endpoint);
const nullableEndpoint = (e: Domain.PresetEndpoint | null) => (e ? endpoint(e) : null);

/** The preset data as the response schema declares it (copies: the domain data is read-only). */
export function presentPreset(p: Domain.MailPreset): MailPreset {
  return {
    id: p.id,
    name: { ...p.name },
    defaultIncoming: p.defaultIncoming,
    source: p.source,
    ...(p.filesSentMail !== undefined ? { filesSentMail: p.filesSentMail } : {}),
    domains: [...p.domains],
    mxPatterns: [...p.mxPatterns],
    smtp: endpoints(p.smtp),
    pop3: nullableEndpoint(p.pop3),
    imap: nullableEndpoint(p.imap),
    auth: { ...p.auth },
    notes: { pl: [...p.notes.pl], en: [...p.notes.en] },
    links: p.links.map((l) => ({ label: { ...l.label }, url: l.url })),
    limits: { ...p.limits },
    ...(p.variants
      ? {
          variants: p.variants.map((v) => ({
            id: v.id,
            label: { ...v.label },
            domains: [...v.domains],
            mxPatterns: [...v.mxPatterns],
            ...(v.smtp ? { smtp: endpoints(v.smtp) } : {}),
            ...(v.pop3 !== undefined ? { pop3: nullableEndpoint(v.pop3) } : {}),
            ...(v.imap !== undefined ? { imap: nullableEndpoint(v.imap) } : {}),
          })),
        }
      : {}),
  };
}
