import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type Serialize = (data: unknown) => string;
type RouteSchemaDefinition = Record<string, unknown>;
type AjvOptions = { customOptions?: Record<string, unknown> } & Record<string, unknown>;
/** One validated part of one route, as Fastify hands it to the validator compiler. */
export interface ValidatedPart {
  method: string;
  url: string;
  httpPart: string;
  schema: unknown;
}
type ValidatorFactory = (external: unknown, options: unknown) => (route: RouteSchemaDefinition) => Validate;
type SerializerFactory = (external: unknown, options: unknown) => (route: RouteSchemaDefinition) => Serialize;

/**
 * Fastify compiles every route's validators (Ajv) and serializers (fast-json-stringify) before
 * it listens: about half a second of start-up (issue 12 item 2). These factories hand Fastify
 * the same compilers, run on a route's first request instead (or by `warmUp()` right after
 * listening, off the start path). Behaviour is identical: the same libraries, options and
 * schemas; only the moment of compilation moves.
 */
export function lazySchemaCompilers() {
  const pending = new Set<() => void>();
  const validatedParts: ValidatedPart[] = [];
  let serializersBuilt = 0;
  let validatorFactory: ValidatorFactory | null = null;
  let serializerFactory: SerializerFactory | null = null;

  const buildValidator = (external: unknown, options: AjvOptions) => {
    // A JSON body says what type each value is: `{"title": 123}` is a mistake to refuse, not a
    // title "123". Query strings and path parameters are text by nature and keep Fastify's
    // coercion (`?limit=20`, `?ids=a` as a one-item array). The body gets its own Ajv instance.
    const bodyOptions = { ...options, customOptions: { ...options.customOptions, coerceTypes: false } };
    const builds = new Map<boolean, (route: RouteSchemaDefinition) => Validate>();
    const builderFor = (isBody: boolean) => {
      let build = builds.get(isBody);
      if (!build) {
        validatorFactory ??= (require('@fastify/ajv-compiler') as () => ValidatorFactory)();
        build = validatorFactory(external, isBody ? bodyOptions : options);
        builds.set(isBody, build);
      }
      return build;
    };
    return (route: RouteSchemaDefinition): Validate => {
      validatedParts.push({
        method: String(route.method),
        url: String(route.url),
        httpPart: String(route.httpPart),
        schema: route.schema,
      });
      let compiled: Validate | null = null;
      const compile = () => {
        if (compiled) return compiled;
        compiled = builderFor(route.httpPart === 'body')(route);
        pending.delete(compile);
        return compiled;
      };
      pending.add(compile);
      const validate: Validate = (data) => {
        const fn = compile();
        const result = fn(data);
        validate.errors = fn.errors;
        return result;
      };
      return validate;
    };
  };

  const buildSerializer = (external: unknown, options: unknown) => {
    let build: ((route: RouteSchemaDefinition) => Serialize) | null = null;
    // fast-json-stringify's output depends only on the schema and this factory's external
    // schemas and options; routes share schema objects (the error body answers 400/401/404…
    // on every route, an item schema serves create/read/update): compile each object once.
    const bySchema = new WeakMap<object, Serialize>();
    return (route: RouteSchemaDefinition): Serialize => {
      let compiled: Serialize | null = null;
      const compile = () => {
        if (compiled) return compiled;
        const schema = route.schema as object;
        compiled = bySchema.get(schema) ?? null;
        if (!compiled) {
          serializerFactory ??= (
            require('@fastify/fast-json-stringify-compiler') as () => SerializerFactory
          )();
          build ??= serializerFactory(external, options);
          compiled = build(route);
          bySchema.set(schema, compiled);
          serializersBuilt++;
        }
        pending.delete(compile);
        return compiled;
      };
      pending.add(compile);
      return (data) => compile()(data);
    };
  };

  return {
    compilersFactory: { buildValidator, buildSerializer },
    /** Every request part a validator was asked for (tests walk their schemas). */
    validatedParts: (): readonly ValidatedPart[] => validatedParts,
    /** How many route schemas are not compiled yet. */
    pendingCount: () => pending.size,
    /** How many serializers fast-json-stringify actually built (one per distinct schema object). */
    serializersBuilt: () => serializersBuilt,
    /**
     * Compiles whatever is still pending, one at a time between other work (one compilation
     * can take milliseconds; eight in a row held requests up for tens of them on a busy
     * machine); resolves when done. A schema that cannot compile throws here (tests call it
     * to catch bad schemas).
     */
    async warmUp(batch = 1): Promise<void> {
      while (pending.size > 0) {
        let n = 0;
        for (const compile of [...pending]) {
          compile();
          if (++n >= batch) break;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}
