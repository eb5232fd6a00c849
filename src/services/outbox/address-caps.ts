import type { ClaimCaps } from '../../db/repositories/outbox.repository.js';

/** Per-address cap on emails in flight in one process (decision 0008). */
export interface AddressCapOptions {
  /** Cap per pooled connection of the address (its lane's `maxConnections`). */
  perConnection: number;
  /** Floor, also the cap of an address this process has not seen yet. */
  min: number;
  /** Ceiling, whatever the connections. */
  max: number;
}

/** The cap of an address with `connections` pooled connections. */
export const capFor = (o: AddressCapOptions, connections: number): number =>
  Math.max(1, Math.min(o.max, Math.max(o.min, o.perConnection * connections)));

/**
 * Counts this process's emails in flight per address for the claim's per-address cap (decision
 * 0008): a bulk send or a retry round of one address (a dripping server holds them for a whole
 * deadline) then leaves the rest of `maxInFlight` to the other addresses. The claim enforces the
 * cap; this says when an address that reached it has room for a refill of at least half its cap,
 * so a healthy bulk sender costs one claim per half cap, not one per email.
 */
export class AddressCaps {
  private readonly held = new Map<string, number>();
  /** Addresses that filled their cap at a claim: more of their rows may be due. */
  private readonly full = new Set<string>();
  private readonly wakes = new Set<() => void>();
  /** How many rows of each address the last claim was allowed (its cap less what was held). */
  private lastRoom = new Map<string, number>();

  constructor(
    private readonly options: AddressCapOptions,
    /** Pooled connections of an address this process knows, else null. */
    private readonly connectionsOf: (addressId: string) => number | null,
  ) {}

  private capOf(addressId: string): number {
    const connections = this.connectionsOf(addressId);
    return connections === null ? this.options.min : capFor(this.options, connections);
  }

  /** What the next claim is told (`lastRoom` remembers what it allowed each address). */
  forClaim(): ClaimCaps {
    const held = [...this.held].map(([addressId, inFlight]) => ({
      addressId,
      inFlight,
      cap: this.capOf(addressId),
    }));
    this.lastRoom = new Map(held.map((h) => [h.addressId, h.cap - h.inFlight]));
    return { cap: this.options.min, held };
  }

  /** A claim answered: its rows are in flight from now on. */
  claimed(addressIds: ReadonlyArray<string | null>): void {
    const got = new Map<string, number>();
    for (const a of addressIds) {
      if (!a) continue;
      this.held.set(a, (this.held.get(a) ?? 0) + 1);
      got.set(a, (got.get(a) ?? 0) + 1);
    }
    let room = false;
    for (const [a, n] of got) {
      // Compared with what the claim allowed, not with the count now: sends that ended while
      // the claim ran would hide that it stopped at the cap, and nothing would ask again.
      if (n < (this.lastRoom.get(a) ?? this.options.min)) continue;
      this.full.add(a);
      // The claim used the cap of an address it did not know yet: its own may be larger.
      room ||= this.hasRoom(a);
    }
    if (room) this.wake();
  }

  /** One email of `addressId` is no longer in flight. */
  settled(addressId: string | null): void {
    if (!addressId) return;
    const n = (this.held.get(addressId) ?? 1) - 1;
    if (n <= 0) this.held.delete(addressId);
    else this.held.set(addressId, n);
    if (this.full.has(addressId) && this.hasRoom(addressId)) this.wake();
  }

  private hasRoom(addressId: string): boolean {
    const cap = this.capOf(addressId);
    if ((this.held.get(addressId) ?? 0) > cap - Math.ceil(cap / 2)) return false;
    this.full.delete(addressId);
    return true;
  }

  private wake(): void {
    for (const w of this.wakes) w();
  }

  /** Addresses at their cap: the claim leaves their rows, so they are not "due" for this process. */
  atCap(): string[] {
    return [...this.full];
  }

  /** Subscribes the outbox loop's wake-up: an address at its cap has room for a refill. */
  onRoom(wake: () => void): () => void {
    this.wakes.add(wake);
    return () => this.wakes.delete(wake);
  }
}
