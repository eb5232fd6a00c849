import type { SendingAddress } from '../../db/repositories/outbox.repository.js';
import { decodeHealth } from '../../domain/mailbox/address-health-codec.js';
import type { MailSender } from '../../ports/mail-sender.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { IsSandboxWorkspace } from '../mailbox/sandbox-workspaces.js';
import { AddressLane } from './address-lane.js';
import { endpointSource, isAuthRejection, laneLimits, type OutboxOAuth } from './outbox-endpoint.js';
import type { OutboxOptions } from './outbox-options.js';

/** A sending address's pooled connections, keyed by the row version they were set up from. */
export interface LaneEntry {
  key: string;
  connection: string;
  lane: AddressLane;
  needsSuccess: boolean;
}

/** The per-address lanes of one sender: `laneOf` reuses a lane until its connection settings change. */
export function createLanes(
  deps: {
    sender: MailSender;
    secretBox: SecretBox;
    oauth?: OutboxOAuth;
    isSandboxWorkspace?: IsSandboxWorkspace;
  },
  options: Pick<OutboxOptions, 'idleMs' | 'failureMemoMs'>,
) {
  const lanes = new Map<string, LaneEntry>();
  const laneOf = (address: SendingAddress) => {
    const key = `${address.id}:${address.updatedAt.getTime()}`;
    const known = lanes.get(address.id);
    if (known?.key === key) return known;
    const h = decodeHealth(address.health, address.healthDetail);
    const needsSuccess = h.status === 'failing' || h.streak.send > 0;
    // A health write (the first success, a streak) also touches the row: keep the pooled
    // connections unless something they were opened with changed.
    const connection = connectionKey(address);
    if (known?.connection === connection) {
      known.key = key;
      known.needsSuccess = needsSuccess;
      return known;
    }
    if (known) void known.lane.closeIdle(Date.now(), true);
    const entry = {
      key,
      connection,
      lane: new AddressLane(deps.sender, endpointSource(deps, address), laneLimits(address), {
        idleMs: options.idleMs,
        failureMemoMs: options.failureMemoMs,
        isOAuthRejection: isAuthRejection,
      }),
      needsSuccess,
    };
    lanes.set(address.id, entry);
    return entry;
  };
  return { lanes, laneOf };
}

/** What a pooled connection was opened with (and the status): a change means new connections. */
function connectionKey(a: SendingAddress): string {
  return JSON.stringify([
    a.smtpHost,
    a.smtpPort,
    a.smtpSecurity,
    a.smtpPinnedCert?.sha256 ?? null,
    a.login,
    a.authType,
    a.passwordEnc,
    a.presetId,
    a.sendMaxConnections,
    a.sendPerMinute,
    a.active,
    // A status change (reconnected, re-enabled) also forgets a remembered failed open.
    a.health,
  ]);
}
