/**
 * Preset autodetection for the add dialog (SPEC M16): exact email-domain match first
 * (no DNS), then the domain's MX hosts. It is only a suggestion, so it never throws and
 * never takes longer than its timeout; any DNS trouble simply means "no suggestion".
 */
import { Resolver } from 'node:dns/promises';
import { emailDomain, presetForDomain, presetForMxHosts } from '../../domain/presets/detect.js';

/** Looks up a domain's MX hosts, best (lowest preference) first. */
export type ResolveMx = (domain: string, signal?: AbortSignal) => Promise<string[]>;

export interface PresetDetection {
  presetId: string | null;
  /** Set when the domain or MX picks a variant (e.g. `outlook-com`, Zoho `organization`). */
  variantId?: string;
  via: 'domain' | 'mx' | 'none';
  /** The MX hosts looked at, when the lookup answered. */
  mxHosts?: string[];
}

export interface PresetDetectorDeps {
  resolveMx: ResolveMx;
  /** Upper bound for one MX lookup. Default 1500 ms. */
  timeoutMs?: number;
  /** How long an answered lookup is reused. Default 5 minutes. */
  cacheTtlMs?: number;
  /** How long a failed or timed-out lookup is reused, so typing does not retry it per key. Default 30 s. */
  failureTtlMs?: number;
  /** Bound on cached domains (least recently used go first). Default 1000. */
  cacheMaxEntries?: number;
  now?: () => number;
}

export interface PresetDetector {
  /** Suggest a preset for an email address. Never rejects. */
  detect(email: string): Promise<PresetDetection>;
}

const DEFAULT_TIMEOUT_MS = 1500;
const DEFAULT_TTL_MS = 5 * 60_000;
const DEFAULT_FAILURE_TTL_MS = 30_000;
const DEFAULT_MAX_ENTRIES = 1000;
/** More MX records than this is not a mail provider we know; cap what we keep. */
const MAX_MX_HOSTS = 20;
const MAX_HOST_LENGTH = 253;
const HOST_CHARS = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;

const NONE: PresetDetection = { presetId: null, via: 'none' };

interface CacheEntry {
  result: PresetDetection;
  expiresAt: number;
}

/** Creates the detector; deps are injected so tests and the web route share one implementation. */
export function createPresetDetector(deps: PresetDetectorDeps): PresetDetector {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ttlMs = deps.cacheTtlMs ?? DEFAULT_TTL_MS;
  const failureTtlMs = deps.failureTtlMs ?? DEFAULT_FAILURE_TTL_MS;
  const maxEntries = Math.max(1, deps.cacheMaxEntries ?? DEFAULT_MAX_ENTRIES);
  const now = deps.now ?? Date.now;
  // Map keeps insertion order: re-inserting on every hit makes the first key the LRU one.
  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<PresetDetection>>();

  function remember(domain: string, result: PresetDetection, ttl: number): void {
    cache.delete(domain);
    cache.set(domain, { result, expiresAt: now() + ttl });
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }

  function cached(domain: string): PresetDetection | null {
    const entry = cache.get(domain);
    if (!entry) return null;
    if (entry.expiresAt <= now()) {
      cache.delete(domain);
      return null;
    }
    cache.delete(domain);
    cache.set(domain, entry);
    return entry.result;
  }

  async function lookup(domain: string): Promise<PresetDetection> {
    const answer = await resolveWithin(deps.resolveMx, domain, timeoutMs);
    if (answer === null) {
      remember(domain, NONE, failureTtlMs);
      return NONE;
    }
    const match = presetForMxHosts(answer);
    const result: PresetDetection = match
      ? {
          presetId: match.preset.id,
          ...(match.variant ? { variantId: match.variant.id } : {}),
          via: 'mx',
          mxHosts: answer,
        }
      : { presetId: null, via: 'none', mxHosts: answer };
    remember(domain, result, ttlMs);
    return result;
  }

  async function detect(email: string): Promise<PresetDetection> {
    try {
      const domain = emailDomain(email);
      if (domain === null) return copy(NONE);
      const byDomain = presetForDomain(domain);
      if (byDomain) {
        return {
          presetId: byDomain.preset.id,
          ...(byDomain.variant ? { variantId: byDomain.variant.id } : {}),
          via: 'domain',
        };
      }
      const hit = cached(domain);
      if (hit) return copy(hit);
      let pending = inFlight.get(domain);
      if (!pending) {
        pending = lookup(domain).finally(() => inFlight.delete(domain));
        inFlight.set(domain, pending);
      }
      return copy(await pending);
    } catch {
      return copy(NONE);
    }
  }

  return { detect };
}

/**
 * The default resolver: the system's DNS servers (or `servers`, for tests), one try each,
 * MX records sorted by preference, null MX (RFC 7505 ".") dropped. Aborting the signal
 * cancels the outstanding query.
 */
export function systemMxResolver(options: { timeoutMs?: number; servers?: string[] } = {}): ResolveMx {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async (domain, signal) => {
    const resolver = new Resolver({ timeout, tries: 1 });
    if (options.servers) resolver.setServers(options.servers);
    const cancel = (): void => resolver.cancel();
    if (signal?.aborted) throw new Error('MX lookup aborted');
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const records = await resolver.resolveMx(domain);
      return records
        .filter((record) => record.exchange !== '' && record.exchange !== '.')
        .sort((a, b) => a.priority - b.priority)
        .map((record) => record.exchange);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  };
}

/** Runs the resolver with a hard deadline; null on error, timeout or a malformed answer. */
async function resolveWithin(
  resolveMx: ResolveMx,
  domain: string,
  timeoutMs: number,
): Promise<string[] | null> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(null);
    }, timeoutMs);
    // A pending suggestion must never keep the process alive.
    timer.unref?.();
  });
  const answer = Promise.resolve()
    .then(() => resolveMx(domain, controller.signal))
    .then(sanitizeHosts, () => null);
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function sanitizeHosts(hosts: unknown): string[] | null {
  if (!Array.isArray(hosts)) return null;
  const clean: string[] = [];
  for (const host of hosts) {
    if (typeof host !== 'string' || host.length > MAX_HOST_LENGTH + 1) continue;
    const name = host.toLowerCase().replace(/\.$/, '');
    // Only host-name characters: these strings reach the UI.
    if (!HOST_CHARS.test(name)) continue;
    clean.push(name);
    if (clean.length === MAX_MX_HOSTS) break;
  }
  return clean;
}

function copy(result: PresetDetection): PresetDetection {
  return result.mxHosts ? { ...result, mxHosts: [...result.mxHosts] } : { ...result };
}
