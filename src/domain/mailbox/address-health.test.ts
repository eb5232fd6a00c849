import { describe, expect, it } from 'vitest';
import {
  type AddressHealth,
  FAILING_AFTER,
  type HealthEvent,
  type HealthProblem,
  type HealthStatus,
  initialHealth,
  nextHealth,
  type RestrictionNote,
} from './address-health.js';
import { decodeHealth, encodeHealth } from './address-health-codec.js';

const T0 = '2026-01-01T10:00:00.000Z';
const T1 = '2026-01-01T11:00:00.000Z';
const problem = (summary: string, direction: 'send' | 'receive' = 'send'): HealthProblem => ({
  direction,
  catalogueId: 'smtp.auth.wrong_password',
  reply: '535 5.7.8 nope',
  summary,
  at: T1,
});
const restriction: RestrictionNote = {
  code: 'access_list_emptied',
  removed: 'Sales',
  removedKind: 'group',
  at: T1,
};

function state(status: HealthStatus, extra: Partial<AddressHealth> = {}): AddressHealth {
  const base = initialHealth(status !== 'disabled', T0);
  return { ...base, status, ...extra };
}

function run(start: AddressHealth, events: HealthEvent[]) {
  let h = start;
  const changes: HealthStatus[] = [];
  for (const e of events) {
    const t = nextHealth(h, e);
    if (!t.ok) throw new Error(t.error);
    if (t.changed) changes.push(t.health.status);
    h = t.health;
  }
  return { h, changes };
}

const failed = (d: 'send' | 'receive' = 'send'): HealthEvent => ({
  type: 'failed',
  direction: d,
  problem: problem('timeout', d),
  at: T1,
});
const auth: HealthEvent = { type: 'auth_failed', direction: 'send', problem: problem('535'), at: T1 };
const grant: HealthEvent = { type: 'grant_lost', problem: problem('invalid_grant'), at: T1 };
const ok = (d: 'send' | 'receive' = 'send'): HealthEvent => ({ type: 'succeeded', direction: d, at: T1 });
const verified: HealthEvent = { type: 'settings_verified', at: T1 };
const disabled: HealthEvent = { type: 'disabled', at: T1 };
const enabled: HealthEvent = { type: 'enabled', at: T1 };
const emptied: HealthEvent = { type: 'restriction_emptied', restriction, at: T1 };
const restated: HealthEvent = { type: 'restriction_restated', at: T1 };

describe('address health transitions (table)', () => {
  const rows: [string, HealthStatus, HealthEvent[], HealthStatus, HealthStatus[]][] = [
    ['a streak below the threshold stays ok', 'ok', [failed(), failed()], 'ok', []],
    [
      'the threshold makes it failing, once',
      'ok',
      [failed(), failed(), failed(), failed()],
      'failing',
      ['failing'],
    ],
    [
      'streaks are per direction',
      'ok',
      [failed('send'), failed('send'), failed('receive'), failed('receive')],
      'ok',
      [],
    ],
    [
      'a success resets its direction and recovers',
      'ok',
      [failed(), failed(), failed(), ok()],
      'ok',
      ['failing', 'ok'],
    ],
    [
      'a success of the other direction does not recover',
      'ok',
      [failed(), failed(), failed(), ok('receive')],
      'failing',
      ['failing'],
    ],
    ['a refused login pauses', 'ok', [auth], 'needs_attention', ['needs_attention']],
    ['a refused login pauses a failing address', 'failing', [auth], 'needs_attention', ['needs_attention']],
    [
      'a pause ignores later failures and successes',
      'needs_attention',
      [failed(), ok(), auth],
      'needs_attention',
      [],
    ],
    ['a lost grant wins over a refused login', 'needs_reconnect', [auth], 'needs_reconnect', []],
    ['a lost grant pauses', 'needs_attention', [grant], 'needs_reconnect', ['needs_reconnect']],
    ['a passing test lifts a pause', 'needs_attention', [verified], 'ok', ['ok']],
    ['a passing test lifts a lost grant', 'needs_reconnect', [verified], 'ok', ['ok']],
    [
      'disable then enable restores a pause',
      'needs_attention',
      [disabled, enabled],
      'needs_attention',
      ['disabled', 'needs_attention'],
    ],
    [
      'disable then enable restores failing',
      'failing',
      [disabled, enabled],
      'failing',
      ['disabled', 'failing'],
    ],
    ['disable then enable of a healthy address', 'ok', [disabled, enabled], 'ok', ['disabled', 'ok']],
    [
      'a test passed while disabled makes enabling ok',
      'needs_attention',
      [disabled, verified, enabled],
      'ok',
      ['disabled', 'ok'],
    ],
    [
      'work in flight while disabled changes nothing',
      'ok',
      [disabled, auth, failed(), ok(), enabled],
      'ok',
      ['disabled', 'ok'],
    ],
    [
      'a grant lost while disabled is remembered',
      'ok',
      [disabled, grant, enabled],
      'needs_reconnect',
      ['disabled', 'needs_reconnect'],
    ],
    ['an emptied restriction disables', 'ok', [emptied], 'disabled', ['disabled']],
    [
      'emptied restriction on a paused address, restated and enabled: the pause and its problem come back',
      'needs_attention',
      [emptied, restated, enabled],
      'needs_attention',
      ['disabled', 'needs_attention'],
    ],
    [
      'an emptied restriction on a disabled address keeps it disabled',
      'disabled',
      [emptied, restated, enabled],
      'ok',
      ['ok'],
    ],
  ];
  it.each(rows)('%s', (_name, from, events, to, changes) => {
    const start =
      from === 'needs_attention' || from === 'needs_reconnect'
        ? state(from, { problem: problem('535') })
        : state(from);
    const r = run(start, events);
    expect(r.h.status).toBe(to);
    expect(r.changes).toEqual(changes);
  });

  it('enabling with a pending restriction review is refused until the list is stated again', () => {
    const { h } = run(state('ok'), [emptied]);
    expect(nextHealth(h, enabled)).toEqual({ ok: false, error: 'restriction_review_required', restriction });
    const after = run(h, [restated, enabled]);
    expect(after.h.status).toBe('ok');
    expect(after.h.restriction).toBeNull();
  });

  it('keeps the failure that paused it, through disable, restriction and enable (issue 8 item 10)', () => {
    const paused = run(state('ok'), [auth]).h;
    const back = run(paused, [emptied, restated, enabled]).h;
    expect(back.problem).toEqual(problem('535'));
    expect(back.status).toBe('needs_attention');
  });

  it('records when the status changed, and the streak and last problem while failing', () => {
    const r = run(state('ok'), [failed(), failed(), { ...failed(), at: '2026-01-02T00:00:00.000Z' }]);
    expect(r.h.since).toBe('2026-01-02T00:00:00.000Z');
    expect(r.h.streak).toEqual({ send: FAILING_AFTER, receive: 0 });
    expect(r.h.problem?.summary).toBe('timeout');
  });
});

describe('health codec', () => {
  it('round-trips every state', () => {
    const samples = [
      run(state('ok'), [failed(), failed()]).h,
      run(state('ok'), [auth]).h,
      run(state('ok'), [auth, emptied]).h,
      run(state('ok'), [grant, disabled]).h,
    ];
    for (const h of samples) {
      const { health, healthDetail } = encodeHealth(h);
      expect(decodeHealth(health, JSON.parse(JSON.stringify(healthDetail)))).toEqual(h);
    }
  });

  it('reads the untyped shapes written before the state machine', () => {
    const legacy = decodeHealth('disabled', {
      code: 'access_list_emptied',
      removed: 'Sales',
      removedKind: 'group',
      at: T1,
      previousHealth: 'needs_attention',
      previousDetail: { lastError: '535 5.7.8 Authentication failed', failures: 3 },
    });
    expect(legacy.restriction).toEqual(restriction);
    expect(legacy.previous?.status).toBe('needs_attention');
    expect(legacy.previous?.problem?.summary).toBe('535 5.7.8 Authentication failed');
    expect(decodeHealth('failing', { lastError: 'x', failures: 4 }).streak.send).toBe(4);
    expect(decodeHealth('weird', 'garbage').status).toBe('ok');
    expect(decodeHealth('disabled', null).previous).toEqual({ status: 'ok', problem: null, since: null });
  });
});
