import { dripAt } from '../servers/smtp-drip.js';
import { type RawSmtpServer, startRawSmtpServer } from '../servers/smtp-raw-server.js';
import type { OutboxFixture } from './outbox-fixture.js';
import type { TestApp } from './test-app.js';

/**
 * Two workspaces for the outbox's drip tests (decision 0008): `a` sends through `slowAddress`
 * (one connection) to a server that drips its reply to MAIL FROM, `b` through `okAddress` to a
 * healthy one. The servers are added to `servers` for the test file to close.
 */
export async function dripAndHealthyAddresses(t: TestApp, fx: OutboxFixture, servers: RawSmtpServer[]) {
  const drip = dripAt('mail');
  const slow = await startRawSmtpServer(drip.scenario);
  servers.push(slow);
  const healthy = await startRawSmtpServer(dripAt('mail', { healthy: Number.POSITIVE_INFINITY }).scenario);
  servers.push(healthy);
  const a = await t.newWorkspace();
  const b = await t.newWorkspace();
  const slowAddress = await fx.address({
    workspaceId: a.workspaceId,
    port: slow.port,
    security: 'none',
    sendMaxConnections: 1,
  });
  const okAddress = await fx.address({ workspaceId: b.workspaceId, port: healthy.port, security: 'none' });
  return { drip, slow, a, b, slowAddress, okAddress };
}
