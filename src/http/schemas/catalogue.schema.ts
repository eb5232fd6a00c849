import { type Static, Type } from 'typebox';
import { ItemsOf } from './common.js';

/**
 * A catalogue entry in one language, as shown next to a failure (M19, M43). The web's
 * `Diagnosis` and `CatalogueItem` types are these schemas' `Static<>` (decision 0009).
 */
export const DiagnosisView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  cause: Type.String(),
  userAction: Type.String(),
  adminAction: Type.String(),
  retryable: Type.Boolean(),
  pausesAddress: Type.Boolean(),
  helpUrl: Type.Union([Type.String(), Type.Null()]),
});

/** One entry of the error catalogue page (M44). */
export const CatalogueItemView = Type.Object({
  ...DiagnosisView.properties,
  area: Type.String(),
  appliesTo: Type.Array(Type.String()),
  providers: Type.Array(Type.String()),
  examples: Type.Array(Type.String()),
});

export const CatalogueList = ItemsOf(CatalogueItemView);

export type Diagnosis = Static<typeof DiagnosisView>;
export type CatalogueItem = Static<typeof CatalogueItemView>;
export type CatalogueListView = Static<typeof CatalogueList>;
