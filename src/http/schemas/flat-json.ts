import { type Static, Type } from 'typebox';

/**
 * Free-form detail (audit entries, error parameters) as a closed shape: at most two levels of
 * objects, leaves are scalars or lists of scalars. `flatJson` brings any stored value into this
 * shape (deeper values become their JSON text), so old rows can never break serialization.
 */
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
const Leaf = Type.Union([Scalar, Type.Array(Scalar)]);
const Key = Type.String({ maxLength: 100 });
export const FlatObject = Type.Record(Key, Leaf);
export const FlatJsonView = Type.Record(Key, Type.Union([Leaf, FlatObject, Type.Array(FlatObject)]));

export type FlatJson = Static<typeof FlatJsonView>;
type LeafValue = Static<typeof Leaf>;
type FlatObjectValue = Static<typeof FlatObject>;

const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null ||
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v));
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const leaf = (v: unknown): LeafValue =>
  isScalar(v)
    ? v
    : Array.isArray(v) && v.every(isScalar)
      ? v
      : v === undefined
        ? null
        : v instanceof Date
          ? v.toISOString()
          : JSON.stringify(v);

export const flatObject = (o: Record<string, unknown>): FlatObjectValue =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, leaf(v)]));

export function flatJson(value: unknown): FlatJson {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      isPlainObject(v)
        ? flatObject(v)
        : Array.isArray(v) && v.length > 0 && v.every(isPlainObject)
          ? v.map(flatObject)
          : leaf(v),
    ]),
  );
}
