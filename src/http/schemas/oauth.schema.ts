import { type Static, Type } from 'typebox';
import { Line, Uuid } from './common.js';

/** OAuth providers mailroom can connect mailboxes with (M47). */
export const OAuthProvider = Type.Union([Type.Literal('google'), Type.Literal('microsoft')]);

export const OAuthProviders = Type.Object({ providers: Type.Array(OAuthProvider) });

export const OAuthStartBody = Type.Object(
  { provider: OAuthProvider, addressId: Type.Optional(Uuid), returnPath: Type.Optional(Line(500)) },
  { additionalProperties: false },
);
export const OAuthStarted = Type.Object({ authorizationUrl: Type.String() });

/** A connected mailbox: the address the provider's ID token named; never its tokens. */
export const OAuthGrant = Type.Object({
  id: Uuid,
  provider: OAuthProvider,
  email: Type.String(),
  addressId: Type.Union([Uuid, Type.Null()]),
});

export type OAuthProviderName = Static<typeof OAuthProvider>;
export type OAuthProvidersView = Static<typeof OAuthProviders>;
export type OAuthStartInput = Static<typeof OAuthStartBody>;
export type OAuthStartedView = Static<typeof OAuthStarted>;
export type OAuthGrantView = Static<typeof OAuthGrant>;
