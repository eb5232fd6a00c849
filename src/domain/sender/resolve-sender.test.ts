import { describe, expect, it } from 'vitest';
import {
  checkChosenSender,
  type ExclusionReason,
  resolveSender,
  type SenderCandidate,
  type SenderContext,
  type SenderUsage,
} from './resolve-sender.js';

const E = 'emp-1';
const P = 'proj-1';
const T = 'task-1';
const C = 'contact-1';
const SYSTEM = { email: 'noreply@mailroom.example', displayName: 'Mailroom' };

/** A company address for all projects and everyone, created 2024-01-01, unless overridden. */
function addr(id: string, overrides: Partial<SenderCandidate> = {}): SenderCandidate {
  return {
    id,
    scope: 'company',
    ownerEmployeeId: null,
    email: `${id}@example.com`,
    displayName: id,
    active: true,
    health: 'ok',
    projectIds: [],
    accessEmployeeIds: [],
    accessGroupIds: [],
    createdAt: new Date('2024-01-01T00:00:00Z'),
    ...overrides,
  };
}

/** E's own address. */
function own(id: string, overrides: Partial<SenderCandidate> = {}): SenderCandidate {
  return addr(id, { scope: 'employee', ownerEmployeeId: E, ...overrides });
}

function use(
  addressId: string,
  at: string,
  taskId: string | null = null,
  contactId: string | null = null,
): SenderUsage {
  return { addressId, taskId, contactId, usedAt: new Date(`2024-06-01T${at}:00Z`) };
}

function ctx(overrides: Partial<SenderContext> = {}): SenderContext {
  return { employeeId: E, employeeGroupIds: [], projectId: P, candidates: [], usage: [], ...overrides };
}

const ownBound = own('own-bound', { projectIds: [P, 'proj-9'] });
const ownAll = own('own-all');
const companyBound = addr('co-bound', { projectIds: [P] });
const companyAll = addr('co-all');

describe('resolveSender: M25 precedence, each step winning', () => {
  it.each([
    {
      name: '1 own bound to P',
      candidates: [companyAll, companyBound, ownAll, ownBound],
      id: 'own-bound',
      step: 1,
      rule: 'own_bound_to_project',
    },
    {
      name: '2 own for all projects',
      candidates: [companyAll, companyBound, ownAll],
      id: 'own-all',
      step: 2,
      rule: 'own_all_projects',
    },
    {
      name: '3 company bound to P',
      candidates: [companyAll, companyBound],
      id: 'co-bound',
      step: 3,
      rule: 'company_bound_to_project',
    },
    {
      name: '4 company for all projects',
      candidates: [companyAll],
      id: 'co-all',
      step: 4,
      rule: 'company_all_projects',
    },
  ] as const)('step $name', ({ candidates, id, step, rule }) => {
    const decision = resolveSender(ctx({ candidates, systemSender: SYSTEM }));
    expect(decision.default).toMatchObject({
      kind: 'address',
      addressId: id,
      step,
      because: { rule, employeeId: E, projectId: P },
    });
    expect(decision.systemSenderUsed).toBe(false);
    expect(decision.choices.map((c) => c.kind)).not.toContain('system');
  });

  it('step 5: the system sender only when no address applies', () => {
    const decision = resolveSender(
      ctx({ candidates: [addr('off', { active: false })], systemSender: SYSTEM }),
    );
    expect(decision.default).toEqual({
      kind: 'system',
      addressId: null,
      email: SYSTEM.email,
      displayName: SYSTEM.displayName,
      step: 5,
      because: { rule: 'system_sender', employeeId: E, projectId: P },
    });
    expect(decision.choices).toHaveLength(1);
    expect(decision.systemSenderUsed).toBe(true);
  });

  it('nothing applies and no system sender: default null, no choices', () => {
    for (const systemSender of [undefined, null]) {
      const decision = resolveSender(ctx({ candidates: [addr('x', { health: 'disabled' })], systemSender }));
      expect(decision.default).toBeNull();
      expect(decision.choices).toEqual([]);
      expect(decision.systemSenderUsed).toBe(false);
      expect(decision.excluded.map((x) => x.address.id)).toEqual(['x']);
    }
    expect(resolveSender(ctx()).default).toBeNull();
  });

  it('choices list every applicable address, default first, then in precedence order', () => {
    const decision = resolveSender(ctx({ candidates: [companyAll, ownAll, companyBound, ownBound] }));
    expect(decision.choices.map((c) => [c.addressId, c.step])).toEqual([
      ['own-bound', 1],
      ['own-all', 2],
      ['co-bound', 3],
      ['co-all', 4],
    ]);
  });
});

describe('resolveSender: M24 applicability and M28 exclusion reasons', () => {
  const other = 'emp-2';
  it.each<{
    name: string;
    address: SenderCandidate;
    groups?: string[];
    projectId?: string | null;
    reasons: ExclusionReason[];
  }>([
    { name: 'disabled by a user', address: addr('a', { active: false }), reasons: ['disabled'] },
    { name: 'health disabled', address: addr('a', { health: 'disabled' }), reasons: ['disabled'] },
    {
      name: 'inactive and health disabled: one reason',
      address: addr('a', { active: false, health: 'disabled' }),
      reasons: ['disabled'],
    },
    {
      name: 'auth failed (M33)',
      address: own('a', { health: 'needs_attention' }),
      reasons: ['needs_attention'],
    },
    {
      name: 'OAuth grant lost (M47)',
      address: own('a', { health: 'needs_reconnect' }),
      reasons: ['needs_reconnect'],
    },
    {
      name: 'bound to other projects',
      address: addr('a', { projectIds: ['proj-2', 'proj-3'] }),
      reasons: ['bound_to_other_projects'],
    },
    {
      name: 'company access lists other employees only',
      address: addr('a', { accessEmployeeIds: [other, 'emp-3'] }),
      reasons: ['no_access'],
    },
    {
      name: 'company access lists other groups only',
      address: addr('a', { accessGroupIds: ['g-2'] }),
      groups: ['g-1'],
      reasons: ['no_access'],
    },
    {
      name: 'company access by employees and groups, neither matches',
      address: addr('a', { accessEmployeeIds: [other], accessGroupIds: ['g-2'] }),
      groups: ['g-1'],
      reasons: ['no_access'],
    },
    {
      name: "another employee's address",
      address: addr('a', { scope: 'employee', ownerEmployeeId: other }),
      reasons: ['not_owner'],
    },
    {
      name: 'employee scope without owner',
      address: addr('a', { scope: 'employee', ownerEmployeeId: null }),
      reasons: ['not_owner'],
    },
    {
      name: 'several reasons at once, in fixed order',
      address: addr('a', {
        active: false,
        health: 'needs_reconnect',
        projectIds: ['proj-2'],
        accessEmployeeIds: [other],
      }),
      reasons: ['disabled', 'needs_reconnect', 'bound_to_other_projects', 'no_access'],
    },
    {
      name: "another employee's paused address for other projects",
      address: addr('a', {
        scope: 'employee',
        ownerEmployeeId: other,
        health: 'needs_attention',
        projectIds: ['proj-2'],
      }),
      reasons: ['needs_attention', 'bound_to_other_projects', 'not_owner'],
    },
    {
      name: 'no project: address bound to projects',
      address: own('a', { projectIds: [P] }),
      projectId: null,
      reasons: ['bound_to_other_projects'],
    },
  ])('excluded: $name', ({ address, groups, projectId, reasons }) => {
    const c = ctx({
      candidates: [address],
      employeeGroupIds: groups ?? [],
      projectId: projectId === undefined ? P : projectId,
    });
    const decision = resolveSender(c);
    expect(decision.choices).toEqual([]);
    expect(decision.excluded).toEqual([{ address, reasons }]);
    expect(checkChosenSender(c, address.id)).toEqual({ ok: false, reasons });
  });

  it.each<{ name: string; address: SenderCandidate; groups?: string[] }>([
    { name: '`failing` is only an error streak', address: own('a', { health: 'failing' }) },
    {
      name: 'company access through one of E’s groups',
      address: addr('a', { accessGroupIds: ['g-9', 'g-2'] }),
      groups: ['g-1', 'g-2'],
    },
    {
      name: 'company access listing E',
      address: addr('a', { accessEmployeeIds: ['emp-7', E], accessGroupIds: ['g-9'] }),
    },
    { name: 'company access empty = everyone', address: addr('a') },
    { name: 'projects include P among others', address: addr('a', { projectIds: ['proj-0', P] }) },
  ])('applies: $name', ({ address, groups }) => {
    const decision = resolveSender(ctx({ candidates: [address], employeeGroupIds: groups ?? [] }));
    expect(decision.default?.addressId).toBe('a');
    expect(decision.excluded).toEqual([]);
  });

  it('no project (projectId null): only addresses for all projects apply; steps 1 and 3 are empty', () => {
    const decision = resolveSender(
      ctx({ projectId: null, candidates: [ownBound, companyBound, companyAll, ownAll] }),
    );
    expect(decision.projectId).toBeNull();
    expect(decision.choices.map((c) => [c.addressId, c.step])).toEqual([
      ['own-all', 2],
      ['co-all', 4],
    ]);
    expect(decision.excluded.map((x) => [x.address.id, x.reasons])).toEqual([
      ['own-bound', ['bound_to_other_projects']],
      ['co-bound', ['bound_to_other_projects']],
    ]);
  });

  it('excluded addresses are listed own first, then company, then other people’s', () => {
    const theirs = addr('theirs', {
      scope: 'employee',
      ownerEmployeeId: 'emp-2',
      createdAt: new Date('2020-01-01'),
    });
    const co = addr('co', { active: false, createdAt: new Date('2021-01-01') });
    const mine = own('mine', { active: false, createdAt: new Date('2023-01-01') });
    const decision = resolveSender(ctx({ candidates: [theirs, co, mine] }));
    expect(decision.excluded.map((x) => x.address.id)).toEqual(['mine', 'co', 'theirs']);
  });
});

describe('resolveSender: M25 tie-breaks', () => {
  const older = '2023-01-01T00:00:00Z';
  const newer = '2024-01-01T00:00:00Z';
  const a = own('a', { createdAt: new Date(older) });
  const b = own('b', { createdAt: new Date(newer) });
  const c = own('c', { createdAt: new Date(newer) });

  it.each<{
    name: string;
    usage: SenderUsage[];
    candidates?: SenderCandidate[];
    winner: string;
    tieBreak: string;
    lastUsedAt?: string;
  }>([
    {
      name: 'used last in this task beats used later elsewhere and being older',
      usage: [use('b', '09:00', T), use('a', '12:00', 'task-2'), use('c', '08:00', T)],
      winner: 'b',
      tieBreak: 'last_used_in_task',
      lastUsedAt: '2024-06-01T09:00:00.000Z',
    },
    {
      name: 'used last anywhere beats oldest',
      usage: [use('c', '10:00', 'task-2'), use('b', '11:00', 'task-3'), use('b', '07:00')],
      winner: 'b',
      tieBreak: 'last_used',
      lastUsedAt: '2024-06-01T11:00:00.000Z',
    },
    { name: 'never used: oldest wins', usage: [], winner: 'a', tieBreak: 'oldest' },
    {
      name: 'same use and age: id order',
      usage: [use('b', '10:00'), use('c', '10:00')],
      candidates: [c, b],
      winner: 'b',
      tieBreak: 'id_order',
    },
    {
      name: 'usage of another employee’s address or unknown ids does not disturb',
      usage: [use('zzz', '23:00', T), use('a', '01:00')],
      winner: 'a',
      tieBreak: 'last_used',
      lastUsedAt: '2024-06-01T01:00:00.000Z',
    },
  ])('$name', ({ usage, candidates, winner, tieBreak, lastUsedAt }) => {
    const list = candidates ?? [c, b, a];
    const decision = resolveSender(ctx({ taskId: T, candidates: list, usage }));
    expect(decision.default?.addressId).toBe(winner);
    expect(decision.default?.because).toEqual({
      rule: 'own_all_projects',
      employeeId: E,
      projectId: P,
      tieBreak,
      tiedCount: list.length,
      ...(lastUsedAt ? { lastUsedAt: new Date(lastUsedAt) } : {}),
    });
    // Only the first of a crowded step explains its win.
    expect(decision.choices.slice(1).every((option) => option.because.tieBreak === undefined)).toBe(true);
  });

  it('without a task, in-task usage cannot exist and last use anywhere decides', () => {
    const decision = resolveSender(ctx({ candidates: [a, b], usage: [use('b', '09:00', T)] }));
    expect(decision.default).toMatchObject({ addressId: 'b', because: { tieBreak: 'last_used' } });
  });

  it('ties are broken within a step only, never across steps', () => {
    const usage = [use('co-all', '23:00', T)];
    const decision = resolveSender(ctx({ taskId: T, candidates: [companyAll, ownAll], usage }));
    expect(decision.default?.addressId).toBe('own-all');
    expect(decision.default?.because.tieBreak).toBeUndefined();
  });

  it('identical createdAt falls back to id, whatever the input order', () => {
    const same = new Date('2024-02-02T00:00:00Z');
    const ids = ['m', 'b', 'x', 'a2', 'a10'];
    const list = ids.map((id) => addr(id, { createdAt: same }));
    for (const candidates of [list, [...list].reverse()]) {
      expect(resolveSender(ctx({ candidates })).choices.map((o) => o.addressId)).toEqual([
        'a10',
        'a2',
        'b',
        'm',
        'x',
      ]);
    }
  });
});

describe('resolveSender: M27 thread continuation', () => {
  const threadUsage = [use('co-all', '10:00', T, C), use('own-bound', '11:00', T, 'contact-2')];
  const base = { taskId: T, contactId: C, candidates: [ownBound, ownAll, companyAll] };

  it('the address the thread last used with the contact wins over step 1', () => {
    const decision = resolveSender(ctx({ ...base, usage: threadUsage }));
    expect(decision.default).toMatchObject({ addressId: 'co-all', step: 4 });
    expect(decision.default?.because).toEqual({
      rule: 'thread_continuation',
      employeeId: E,
      projectId: P,
      taskId: T,
      contactId: C,
      lastUsedAt: new Date('2024-06-01T10:00:00Z'),
    });
    expect(decision.choices.map((o) => o.addressId)).toEqual(['co-all', 'own-bound', 'own-all']);
    expect(decision.thread).toEqual({ addressId: 'co-all', applied: true, source: 'usage' });
  });

  it('the latest use with the contact in the task counts', () => {
    const usage = [...threadUsage, use('own-all', '12:00', T, C)];
    expect(resolveSender(ctx({ ...base, usage })).default?.addressId).toBe('own-all');
  });

  it('an explicit threadLastAddressId wins over the employee’s usage', () => {
    const decision = resolveSender(ctx({ ...base, usage: threadUsage, threadLastAddressId: 'own-all' }));
    expect(decision.default).toMatchObject({
      addressId: 'own-all',
      because: { rule: 'thread_continuation' },
    });
    expect(decision.default?.because.lastUsedAt).toBeUndefined();
    expect(decision.thread).toEqual({ addressId: 'own-all', applied: true, source: 'explicit' });
  });

  it.each([
    { name: 'disabled since', candidates: [ownBound, addr('co-all', { active: false })] },
    { name: 'paused since', candidates: [ownBound, addr('co-all', { health: 'needs_attention' })] },
    {
      name: 'access removed since',
      candidates: [ownBound, addr('co-all', { accessEmployeeIds: ['emp-2'] })],
    },
    { name: 'deleted since', candidates: [ownBound] },
  ])('ignored when it no longer applies ($name)', ({ candidates }) => {
    const decision = resolveSender(ctx({ ...base, candidates, usage: threadUsage }));
    expect(decision.default).toMatchObject({
      addressId: 'own-bound',
      because: { rule: 'own_bound_to_project' },
    });
    expect(decision.thread).toEqual({ addressId: 'co-all', applied: false, source: 'usage' });
  });

  it('two thread uses at the same instant: the smaller id, whatever the usage order', () => {
    const usage = [use('own-all', '10:00', T, C), use('co-all', '10:00', T, C)];
    for (const u of [usage, [...usage].reverse()]) {
      expect(resolveSender(ctx({ ...base, usage: u })).thread?.addressId).toBe('co-all');
    }
  });

  it('no contact or no task: no thread', () => {
    expect(resolveSender(ctx({ ...base, contactId: null, usage: threadUsage })).thread).toBeNull();
    expect(resolveSender(ctx({ ...base, taskId: undefined, usage: threadUsage })).thread).toBeNull();
    expect(
      resolveSender(ctx({ ...base, usage: [use('co-all', '10:00', 'task-2', C)] })).default?.addressId,
    ).toBe('own-bound');
  });
});

describe('checkChosenSender (M26)', () => {
  const candidates = [
    ownBound,
    companyAll,
    addr('paused', { health: 'needs_attention', projectIds: ['proj-2'] }),
  ];

  it('accepts any applicable address, not just the default, with its option', () => {
    const result = checkChosenSender(ctx({ candidates }), 'co-all');
    expect(result).toEqual({
      ok: true,
      option: {
        kind: 'address',
        addressId: 'co-all',
        email: 'co-all@example.com',
        displayName: 'co-all',
        step: 4,
        because: { rule: 'company_all_projects', employeeId: E, projectId: P },
      },
    });
  });

  it('refuses an address that does not apply, with every reason', () => {
    expect(checkChosenSender(ctx({ candidates }), 'paused')).toEqual({
      ok: false,
      reasons: ['needs_attention', 'bound_to_other_projects'],
    });
  });

  it('refuses an unknown id', () => {
    expect(checkChosenSender(ctx({ candidates }), 'nope')).toEqual({ ok: false, reasons: ['unknown'] });
  });

  it('refuses an id even when the system sender is the default', () => {
    const c = ctx({ candidates: [addr('off', { active: false })], systemSender: SYSTEM });
    expect(checkChosenSender(c, 'off')).toEqual({ ok: false, reasons: ['disabled'] });
  });
});

describe('resolveSender: scale', () => {
  it('handles thousands of candidates and usage rows', () => {
    const candidates: SenderCandidate[] = [];
    const usage: SenderUsage[] = [];
    for (let i = 0; i < 5000; i++) {
      const id = `a-${i}`;
      candidates.push(
        i % 2 === 0 ? own(id, { projectIds: i % 4 === 0 ? [P] : [] }) : addr(id, { active: i % 3 !== 0 }),
      );
      usage.push({
        addressId: id,
        taskId: i % 7 === 0 ? T : null,
        contactId: null,
        usedAt: new Date(1_700_000_000_000 + i),
      });
    }
    const started = Date.now();
    const decision = resolveSender(ctx({ taskId: T, candidates, usage }));
    expect(Date.now() - started).toBeLessThan(5_000);
    // Step 1 = own bound (i % 4 === 0); latest in-task use among them: i % 28 === 0, largest i.
    expect(decision.default?.addressId).toBe('a-4984');
    expect(decision.choices.length + decision.excluded.length).toBe(5000);
  });
});
