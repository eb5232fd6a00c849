import { describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../domain/actor.js';
import { listPresets } from '../../domain/presets/detect.js';
import { sandboxPreset } from '../../sandbox/sandbox-preset.js';
import type { PresetDetector } from './detect-preset.js';
import { createWorkspacePresets } from './workspace-presets.js';

/**
 * The sandbox preset is scoped (issue 12 item 1): offered in the demo workspace while the sandbox
 * runs, and nowhere else — a real workspace keeps "not recognised" for the sandbox domain.
 */
const actor = (workspaceId: string): Actor => ({
  workspaceId,
  employeeId: 'e',
  role: 'employee',
  name: 'X',
  via: 'session',
});
const demo = actor('demo');
const real = actor('real');
const workspaces = {
  findById: async (id: string) => ({ id, sandbox: id === 'demo' }) as never,
};
const sandbox = {
  preset: () => sandboxPreset({ host: '127.0.0.1', smtpPort: 2525, pop3Port: 2110, imapPort: 2143 }),
  newcomerPassword: () => 'abcd-efgh-jkmn',
};
const detector = (): PresetDetector & { detect: ReturnType<typeof vi.fn> } => ({
  detect: vi.fn(async () => ({ presetId: null, via: 'none' as const })),
});
const email = 'katarzyna.wojcik@firma-demo.test';

describe('presets per workspace', () => {
  it('the demo workspace gets the sandbox preset, first, with this run’s ports, plain text', async () => {
    const presets = createWorkspacePresets({ detector: detector(), workspaces, sandbox });
    const [first, ...rest] = await presets.list(demo);
    expect(first).toMatchObject({
      id: 'sandbox',
      domains: ['firma-demo.test'],
      smtp: [{ host: '127.0.0.1', port: 2525, security: 'none' }],
      pop3: { host: '127.0.0.1', port: 2110, security: 'none' },
      imap: { host: '127.0.0.1', port: 2143, security: 'none' },
    });
    expect(rest).toEqual(listPresets());
    expect(await presets.detect(demo, email)).toEqual({ presetId: 'sandbox', via: 'domain' });
    expect(await presets.newcomer(demo)).toEqual({ domain: 'firma-demo.test', password: 'abcd-efgh-jkmn' });
  });

  it('a real workspace on the same server: no sandbox preset, the domain not recognised, no password', async () => {
    const d = detector();
    const presets = createWorkspacePresets({ detector: d, workspaces, sandbox });
    expect((await presets.list(real)).map((p) => p.id)).not.toContain('sandbox');
    expect(await presets.detect(real, email)).toEqual({ presetId: null, via: 'none' });
    expect(d.detect).toHaveBeenCalledWith(email);
    await expect(presets.newcomer(real)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the demo workspace without the sandbox running (MAILROOM_SANDBOX=off): nothing either', async () => {
    const presets = createWorkspacePresets({ detector: detector(), workspaces, sandbox: null });
    expect(await presets.list(demo)).toEqual(listPresets());
    expect(await presets.detect(demo, email)).toEqual({ presetId: null, via: 'none' });
    await expect(presets.newcomer(demo)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('in the demo workspace other domains still go to the catalogue', async () => {
    const d = detector();
    d.detect.mockResolvedValue({ presetId: 'gmail', via: 'domain' });
    const presets = createWorkspacePresets({ detector: d, workspaces, sandbox });
    expect(await presets.detect(demo, 'jan@gmail.com')).toEqual({ presetId: 'gmail', via: 'domain' });
  });
});
