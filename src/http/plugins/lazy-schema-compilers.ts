import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type Serialize = (data: unknown) => string;
type RouteSchemaDefinition = Record<string, unknown>;
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
  let validatorFactory: ValidatorFactory | null = null;
  let serializerFactory: SerializerFactory | null = null;

  const buildValidator = (external: unknown, options: unknown) => {
    let build: ((route: RouteSchemaDefinition) => Validate) | null = null;
    return (route: RouteSchemaDefinition): Validate => {
      let compiled: Validate | null = null;
      const compile = () => {
        if (compiled) return compiled;
        validatorFactory ??= (require('@fastify/ajv-compiler') as () => ValidatorFactory)();
        build ??= validatorFactory(external, options);
        compiled = build(route);
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
    return (route: RouteSchemaDefinition): Serialize => {
      let compiled: Serialize | null = null;
      const compile = () => {
        if (compiled) return compiled;
        serializerFactory ??= (require('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)();
        build ??= serializerFactory(external, options);
        compiled = build(route);
        pending.delete(compile);
        return compiled;
      };
      pending.add(compile);
      return (data) => compile()(data);
    };
  };

  return {
    compilersFactory: { buildValidator, buildSerializer },
    /** How many route schemas are not compiled yet. */
    pendingCount: () => pending.size,
    /**
     * Compiles whatever is still pending, a few at a time between other work; resolves when
     * done. A schema that cannot compile throws here (tests call it to catch bad schemas).
     */
    async warmUp(batch = 8): Promise<void> {
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
