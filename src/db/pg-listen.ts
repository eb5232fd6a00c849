import pg from 'pg';

/**
 * LISTEN on one channel over a dedicated PostgreSQL connection (a pooled one cannot hold a
 * LISTEN). Reconnects with a growing pause when the connection drops, and calls `onNotify` once
 * after each reconnect, since notifications sent while disconnected are lost. Returns the stop
 * function.
 */
export async function listenPg(
  url: string,
  channel: string,
  onNotify: () => void,
): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name: ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  let pauseMs = 250;
  let timer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => {});
    c.on('notification', () => onNotify());
    c.on('end', () => {
      if (client === c) client = null;
      if (!stopped) schedule();
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    if (stopped) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    pauseMs = 250;
  };
  const schedule = () => {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = null;
      connect().then(onNotify, () => {
        pauseMs = Math.min(pauseMs * 2, 30_000);
        schedule();
      });
    }, pauseMs);
    timer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  };
}
