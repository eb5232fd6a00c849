import tls from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSandboxSmtp } from './sandbox-smtp.js';
import type { SandboxStore } from './sandbox-store.js';

describe('sandbox SMTP server', () => {
  afterEach(() => vi.restoreAllMocks());

  it('builds its TLS context without loading the root certificates (start-up time, issue 12 item 2)', () => {
    const contexts = vi.spyOn(tls, 'createSecureContext');
    createSandboxSmtp({} as SandboxStore, () => {});
    // A context built without `ca` makes Node parse every bundled root certificate.
    expect(contexts).toHaveBeenCalled();
    for (const [options] of contexts.mock.calls) expect(options?.ca).toEqual([]);
  });
});
