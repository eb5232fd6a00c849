import { useEffect, useRef, useState } from 'react';
import type { AddressOwner } from '../../shared/api/mail-api';
import { mailApi } from '../../shared/api/mail-api';
import type { MailSecurity, TestResult } from '../../shared/api/mail-types';
import { type AddressValues, connectionKey, type EndpointValues, testInput } from './address-form-model';
import type { TestRun } from './connection-test-view';

const SECURITY_LABEL: Record<MailSecurity, string> = { tls: 'SSL/TLS', starttls: 'STARTTLS', none: '—' };

/** "smtp.gmail.com:465 · SSL/TLS". */
export const endpointLabel = (e: Pick<EndpointValues, 'host' | 'port' | 'security'>) =>
  `${e.host.trim() || '?'}:${e.port === '' ? '?' : e.port} · ${SECURITY_LABEL[e.security]}`;

interface Options {
  values: AddressValues;
  /** The saved state of an edited address; null for a new one. */
  initial: AddressValues | null;
  addressId: string | null;
  owner: AddressOwner;
}

/**
 * "Test account" inside the dialog (M17, M20): runs the test with the current values and
 * remembers the token together with the exact connection settings it was issued for, so
 * any later change of those settings (or the password) takes the green light away again.
 */
export function useConnectionTest({ values, initial, addressId, owner }: Options) {
  const [run, setRun] = useState<TestRun | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const currentKey = connectionKey(values);
  const running = run !== null && run.result === null && run.error === null;
  const token = run?.result?.ok && run.key === currentKey ? (run.result.testToken ?? null) : null;

  /** Starts a test with these values; resolves to the result, or to the refusal of the request. */
  const start = async (
    tested: AddressValues = values,
  ): Promise<{ result: TestResult } | { error: unknown } | null> => {
    controller.current?.abort();
    const mine = new AbortController();
    controller.current = mine;
    const base: TestRun = {
      key: connectionKey(tested),
      startedAt: Date.now(),
      smtp: { endpoint: endpointLabel(tested.smtp), security: tested.smtp.security },
      incoming: {
        endpoint: endpointLabel(tested.incoming),
        security: tested.incoming.security,
        protocol: tested.incoming.protocol,
      },
      result: null,
      error: null,
    };
    setRun(base);
    try {
      const result = await mailApi.test(testInput(tested, initial, addressId, owner), mine.signal);
      if (mine.signal.aborted) return null;
      setRun({ ...base, result });
      return { result };
    } catch (error) {
      if (mine.signal.aborted) return null;
      setRun({ ...base, error });
      return { error };
    }
  };

  return {
    run,
    running,
    /** The token for the current values, when the last test passed with exactly them. */
    token,
    /** A finished run whose settings differ from the form's current ones. */
    stale: run !== null && run.result !== null && run.key !== currentKey,
    start,
    /** Forgets the last run (e.g. after the server said the token no longer matches). */
    reset: () => setRun(null),
  };
}
