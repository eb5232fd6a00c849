import { describe, expect, it } from 'vitest';
import type { AuthRepository } from '../../db/repositories/auth.repository.js';
import { createAuthService } from './auth-service.js';

describe('API token use', () => {
  it('writes lastUsedAt at most once a minute', async () => {
    let clock = new Date('2026-01-01T10:00:00Z');
    const touches: Date[] = [];
    const token = { id: 't1', lastUsedAt: null as Date | null };
    const employee = { id: 'e1', workspaceId: 'w1', role: 'employee', name: 'Ewa', active: true };
    const auth = {
      authVersion: async () => 0,
      findToken: async () => ({ token: { ...token }, employee }),
      touchToken: async (_id: string, at: Date) => {
        touches.push(at);
        token.lastUsedAt = at;
      },
    } as unknown as AuthRepository;
    const service = createAuthService({
      auth,
      employees: {} as never,
      workspaces: {} as never,
      rateLimiter: {} as never,
      sessionTtlHours: 1,
      loginRateLimitPerMinute: 10,
      now: () => clock,
    });
    const use = async (secondsLater: number) => {
      clock = new Date(clock.getTime() + secondsLater * 1000);
      expect(await service.authenticateToken('mrt_x')).not.toBeNull();
    };
    await use(0);
    await use(10);
    await use(40);
    expect(touches).toHaveLength(1);
    await use(21); // 71 s after the first write
    expect(touches.map((d) => d.toISOString())).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:01:11.000Z',
    ]);
  });
});
