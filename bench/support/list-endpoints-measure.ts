import type { AppContext } from '../../src/context.js';
import { importCompiled } from './compiled-app.js';
import type { CapturedQuery } from './database-legs.js';
import type { SeededWorkspace } from './sender-seed.js';
import { createRandom, repeatWithin, type Summary, summarize } from './stats.js';

export const REQUESTS_PER_ENDPOINT = 500;
const WARMUP = 20;
// Wall-time caps for the interleaved rounds (one request per endpoint each round).
const WARMUP_BUDGET_MS = 5_000;
export const ENDPOINTS_BUDGET_MS = 45_000;

export interface EndpointResult {
  label: string;
  summary: Summary;
  /** A sample URL (the real ones vary ids and search terms). */
  example: string;
  /** Response size of the sample, bytes. */
  bytes: number;
}

export interface EndpointsResult {
  healthz: Summary;
  endpoints: EndpointResult[];
  /** Statements each endpoint sends, from one captured request (PGlite only). */
  queries: Record<string, CapturedQuery[] | null>;
  /** True when the time budget ended the run before REQUESTS_PER_ENDPOINT rounds. */
  truncated: boolean;
}

/**
 * The list endpoints at the seeded size through the whole Fastify stack (`app.inject`:
 * routing, auth hook with a session lookup, schema validation, serialisation, request
 * logging into a null stream), as an admin. Endpoints are interleaved request by request
 * with `GET /healthz`, the baseline through the same inject path.
 */
export async function measureEndpoints(
  ctx: AppContext,
  seeded: SeededWorkspace,
  capture: (fn: () => Promise<unknown>) => Promise<CapturedQuery[] | null>,
  limits: { rounds: number; budgetMs: number } = {
    rounds: REQUESTS_PER_ENDPOINT,
    budgetMs: ENDPOINTS_BUDGET_MS,
  },
): Promise<EndpointsResult> {
  const { buildApp } = await importCompiled<typeof import('../../src/http/app.js')>('http/app.js');
  const app = await buildApp(ctx);
  try {
    await app.ready();
    const login = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: seeded.adminEmail, password: seeded.adminPassword },
    });
    if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
    const session = login.cookies.find((c) => c.name === 'mailroom_session');
    if (!session) throw new Error('login set no session cookie');
    const headers = { cookie: `mailroom_session=${session.value}` };

    const rnd = createRandom(11);
    const employee = () => rnd.pick(seeded.employeeIds);
    const project = () => rnd.pick(seeded.projectIds);
    const specs: Array<{ label: string; url: () => string }> = [
      { label: 'GET /api/employees?limit=50', url: () => '/api/employees?limit=50' },
      {
        label: 'GET /api/employees?limit=50&q=…',
        url: () => `/api/employees?limit=50&q=${encodeURIComponent(rnd.pick(seeded.searchTerms))}`,
      },
      { label: 'GET /api/projects?limit=50', url: () => '/api/projects?limit=50' },
      { label: 'GET /api/company/email-addresses', url: () => '/api/company/email-addresses' },
      {
        label: 'GET /api/employees/:id/email-addresses',
        url: () => `/api/employees/${employee()}/email-addresses`,
      },
      {
        label: 'GET /api/senders?employeeId&projectId',
        url: () => `/api/senders?employeeId=${employee()}&projectId=${project()}`,
      },
    ];
    const get = async (url: string) => {
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url, headers });
      const elapsed = performance.now() - started;
      // A benchmark of error responses would flatter us: every request must succeed.
      if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return { elapsed, bytes: res.rawPayload.length };
    };

    const examples = specs.map((s) => s.url());
    const bytes = await Promise.all(examples.map(async (url) => (await get(url)).bytes));
    const queries: Record<string, CapturedQuery[] | null> = {};
    for (const [k, s] of specs.entries()) queries[s.label] = await capture(() => get(examples[k]!));

    const all = [{ label: 'GET /healthz', url: () => '/healthz' }, ...specs];
    const samples = all.map(() => [] as number[]);
    const round = (keep: boolean) => async (i: number) => {
      for (let k = 0; k < all.length; k++) {
        const which = (i + k) % all.length;
        const { elapsed } = await get(all[which]!.url());
        if (keep) samples[which]!.push(elapsed);
      }
    };
    await repeatWithin(WARMUP, WARMUP_BUDGET_MS, round(false));
    const done = await repeatWithin(limits.rounds, limits.budgetMs, round(true));
    return {
      healthz: summarize(samples[0]!),
      endpoints: specs.map((s, k) => ({
        label: s.label,
        summary: summarize(samples[k + 1]!),
        example: examples[k]!,
        bytes: bytes[k]!,
      })),
      queries,
      truncated: done < limits.rounds,
    };
  } finally {
    await app.close();
  }
}
