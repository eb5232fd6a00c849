import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkChosenSender,
  resolveSender,
  type SenderCandidate,
  type SenderContext,
  type SenderDecision,
  type SenderUsage,
} from './resolve-sender.js';

// Small pools so generated worlds collide often: shared projects, groups, equal dates.
const EMPLOYEES = ['e1', 'e2', 'e3'] as const;
const GROUPS = ['g1', 'g2', 'g3'] as const;
const PROJECTS = ['p1', 'p2', 'p3'] as const;
const ME = 'e1';
const RUNS = { numRuns: 300 };

const candidateArb: fc.Arbitrary<SenderCandidate> = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9]{1,3}$/),
    scope: fc.constantFrom('company', 'employee', 'employee'),
    ownerEmployeeId: fc.constantFrom(ME, ME, ...EMPLOYEES),
    active: fc.constantFrom(true, true, true, false),
    health: fc.constantFrom('ok', 'ok', 'ok', 'failing', 'needs_attention', 'needs_reconnect', 'disabled'),
    projectIds: fc.oneof(fc.constant([]), fc.subarray([...PROJECTS], { minLength: 1 })),
    accessEmployeeIds: fc.oneof(fc.constant([]), fc.subarray([...EMPLOYEES])),
    accessGroupIds: fc.oneof(fc.constant([]), fc.subarray([...GROUPS])),
    createdDay: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ createdDay, ...c }): SenderCandidate => {
    const common = {
      ...c,
      email: `${c.id}@example.com`,
      displayName: c.id,
      createdAt: new Date(Date.UTC(2024, 0, 1 + createdDay)),
    };
    return c.scope === 'company'
      ? { ...common, scope: 'company', ownerEmployeeId: null }
      : { ...common, scope: 'employee', accessEmployeeIds: [], accessGroupIds: [] };
  });

function usageArb(ids: readonly string[]): fc.Arbitrary<SenderUsage[]> {
  return fc.array(
    fc.record({
      addressId: fc.constantFrom(...ids, 'ghost'),
      taskId: fc.constantFrom('t1', 't2', null),
      contactId: fc.constantFrom('c1', 'c2', null),
      usedAt: fc.integer({ min: 0, max: 8 }).map((h) => new Date(Date.UTC(2024, 5, 1, h))),
    }),
    { maxLength: 25 },
  );
}

const worldArb: fc.Arbitrary<SenderContext> = fc
  .uniqueArray(candidateArb, { selector: (c) => c.id, maxLength: 14 })
  .chain((candidates) => {
    const ids = candidates.map((c) => c.id);
    return fc.record({
      employeeId: fc.constant(ME),
      employeeGroupIds: fc.subarray([...GROUPS]),
      projectId: fc.constantFrom<string | null>('p1', 'p2', null),
      taskId: fc.constantFrom<string | null | undefined>('t1', null, undefined),
      contactId: fc.constantFrom<string | null | undefined>('c1', null, undefined),
      threadLastAddressId: fc.option(fc.constantFrom(...ids, 'ghost'), { nil: undefined, freq: 4 }),
      candidates: fc.constant(candidates),
      usage: usageArb(ids),
      systemSender: fc.option(fc.constant({ email: 'system@example.com', displayName: 'System' }), {
        nil: null,
      }),
    });
  });

/** M24 written out naively, independent of the implementation. */
function appliesOracle(c: SenderCandidate, ctx: SenderContext): boolean {
  const stateOk =
    c.active && c.health !== 'disabled' && c.health !== 'needs_attention' && c.health !== 'needs_reconnect';
  const projectOk =
    c.projectIds.length === 0 || (ctx.projectId !== null && c.projectIds.includes(ctx.projectId));
  const accessOk =
    c.scope === 'employee'
      ? c.ownerEmployeeId === ctx.employeeId
      : (c.accessEmployeeIds.length === 0 && c.accessGroupIds.length === 0) ||
        c.accessEmployeeIds.includes(ctx.employeeId) ||
        c.accessGroupIds.some((g) => ctx.employeeGroupIds.includes(g));
  return stateOk && projectOk && accessOk;
}

/** The address options in M25 order: everything but a thread-continuation default. */
function orderedByPrecedence(decision: SenderDecision, ctx: SenderContext): SenderCandidate[] {
  const byId = new Map(ctx.candidates.map((c) => [c.id, c]));
  return decision.choices
    .filter((o) => o.kind === 'address' && o.because.rule !== 'thread_continuation')
    .map((o) => byId.get(o.addressId!)!);
}

/** Deterministic Fisher–Yates driven by a seed (fast-check shrinks the seed). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('resolveSender properties', () => {
  it('(a) an applicable employee address always beats every company address', () => {
    fc.assert(
      fc.property(worldArb, (ctx) => {
        const decision = resolveSender(ctx);
        const scopes = orderedByPrecedence(decision, ctx).map((c) => c.scope);
        const firstCompany = scopes.indexOf('company');
        if (firstCompany >= 0) expect(scopes.slice(firstCompany)).not.toContain('employee');
        const anyOwn = ctx.candidates.some((c) => c.scope === 'employee' && appliesOracle(c, ctx));
        if (anyOwn && decision.default?.because.rule !== 'thread_continuation') {
          expect(decision.default?.step).toBeLessThanOrEqual(2);
          expect(ctx.candidates.find((c) => c.id === decision.default?.addressId)?.scope).toBe('employee');
        }
      }),
      RUNS,
    );
  });

  it('(b) the default is the first choice; choices are exactly the applicable addresses (+ system sender)', () => {
    fc.assert(
      fc.property(worldArb, (ctx) => {
        const decision = resolveSender(ctx);
        expect(decision.default).toBe(decision.choices[0] ?? null);
        const applicable = ctx.candidates.filter((c) => appliesOracle(c, ctx)).map((c) => c.id);
        const offered = decision.choices.filter((o) => o.kind === 'address').map((o) => o.addressId);
        expect([...offered].sort()).toEqual([...applicable].sort());
        const systemOffered = decision.choices.some((o) => o.kind === 'system');
        expect(systemOffered).toBe(applicable.length === 0 && ctx.systemSender != null);
        expect(decision.systemSenderUsed).toBe(systemOffered);
      }),
      RUNS,
    );
  });

  it('(c) every candidate is either a choice or excluded with at least one reason, never both', () => {
    fc.assert(
      fc.property(worldArb, (ctx) => {
        const decision = resolveSender(ctx);
        const chosen = new Set(decision.choices.map((o) => o.addressId));
        const excluded = new Set(decision.excluded.map((x) => x.address.id));
        for (const c of ctx.candidates) expect(chosen.has(c.id) !== excluded.has(c.id)).toBe(true);
        expect(decision.choices.length + decision.excluded.length).toBe(
          ctx.candidates.length + (decision.systemSenderUsed ? 1 : 0),
        );
        for (const x of decision.excluded) {
          expect(x.reasons.length).toBeGreaterThan(0);
          expect(new Set(x.reasons).size).toBe(x.reasons.length);
        }
        // M26: the API check agrees with the preview for every candidate.
        for (const c of ctx.candidates) {
          const check = checkChosenSender(ctx, c.id);
          expect(check.ok).toBe(chosen.has(c.id));
        }
      }),
      RUNS,
    );
  });

  it('(d) the result does not depend on the order of candidates and usage', () => {
    fc.assert(
      fc.property(worldArb, fc.integer(), fc.integer(), (ctx, seedA, seedB) => {
        const reordered = {
          ...ctx,
          candidates: shuffled(ctx.candidates, seedA),
          usage: shuffled(ctx.usage, seedB),
        };
        expect(resolveSender(reordered)).toEqual(resolveSender(ctx));
      }),
      RUNS,
    );
  });

  it('(e) within a scope, addresses bound to the project come before those for all projects', () => {
    fc.assert(
      fc.property(worldArb, (ctx) => {
        const ordered = orderedByPrecedence(resolveSender(ctx), ctx);
        for (const scope of ['employee', 'company'] as const) {
          const bound = ordered.filter((c) => c.scope === scope).map((c) => c.projectIds.length > 0);
          const firstAll = bound.indexOf(false);
          if (firstAll >= 0) expect(bound.slice(firstAll)).not.toContain(true);
        }
      }),
      RUNS,
    );
  });

  it('M27: a thread address that still applies is the default', () => {
    fc.assert(
      fc.property(worldArb, (ctx) => {
        const decision = resolveSender(ctx);
        const threadId = decision.thread?.addressId;
        if (threadId === undefined) return;
        const candidate = ctx.candidates.find((c) => c.id === threadId);
        const applies = candidate !== undefined && appliesOracle(candidate, ctx);
        expect(decision.thread?.applied).toBe(applies);
        if (applies)
          expect(decision.default).toMatchObject({
            addressId: threadId,
            because: { rule: 'thread_continuation' },
          });
        else expect(decision.default?.because.rule).not.toBe('thread_continuation');
      }),
      RUNS,
    );
  });
});
