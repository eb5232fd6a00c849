/**
 * The outbox claim (`claim` in outbox.repository.ts): $1 now, $2 the batch size, $3 the lease
 * token, $4 the lease's end, $5 the start of the M34 window, $6 the per-address cap of an address
 * not in $7, $7 what this process already holds per address as JSON (`[{a, n, k}]`: address, rows
 * in flight, its cap). Answers one JSON text (one value to decode instead of a row of 14 columns
 * per email).
 *
 * Per-address cap (decision 0008): `addresses` finds each address with waiting rows by a skip
 * scan of `outgoing_messages_address_due_idx` (one probe per address), `ranked` takes each one's
 * longest-waiting rows up to its room — a bulk sender's backlog costs its cap, not a pass over
 * its rows. `due` locks in a second step (FOR UPDATE may not share a SELECT with a LIMIT per
 * group), re-checking status and time on the row it locked: a row another claimer took and
 * committed meanwhile fails that check, one it still holds is skipped. The LIMIT comes after
 * the skip, as before. Rows another claimer holds uncommitted are still ranked, so a claimer
 * racing another takes fewer of that address's rows, never more than its cap.
 *
 * Answers `{rows, behind}`: `behind` when the statistics count far fewer waiting rows than this
 * claim ranked (PGlite has no autovacuum); the worker then refreshes them (`refreshStatistics`).
 */
/** Fewer ranked rows than this never ask for ANALYZE: the stale plan's passes are small then. */
const BEHIND_MIN = 50;

export const CLAIM_SQL = `WITH RECURSIVE cfg AS (
  -- Decision 0017: this transaction alone commits without waiting for its WAL flush.
  -- A claim lost in a database crash only puts its rows back in the queue, and the
  -- first transmitting mark (always durable) flushes the WAL up to it anyway.
  SELECT set_config('synchronous_commit', 'off', true) AS mode
), addresses AS (
  -- Each address with waiting rows (a skip scan: one probe of outgoing_messages_address_due_idx
  -- per address, not one per row). No time condition here: with one, a stale-statistics plan
  -- read every due row through the due index and sorted them, once per address.
  (SELECT o.address_id FROM outgoing_messages o
    WHERE o.status IN ('queued', 'deferred') AND o.address_id IS NOT NULL
    ORDER BY o.address_id LIMIT 1)
  UNION ALL
  SELECT (SELECT o.address_id FROM outgoing_messages o
    WHERE o.status IN ('queued', 'deferred') AND o.address_id > s.address_id
    ORDER BY o.address_id LIMIT 1)
  FROM addresses s WHERE s.address_id IS NOT NULL
), ranked AS (
  -- ORDER BY (address_id, next_attempt_at): only outgoing_messages_address_due_idx gives that
  -- order without a sort, so no plan walks one address's backlog through the due index.
  SELECT x.id, x.status, x.next_attempt_at FROM addresses s
  JOIN email_addresses a ON a.id = s.address_id AND a.active AND a.health IN ('ok', 'failing')
  LEFT JOIN json_to_recordset($7::json) AS h(a uuid, n int, k int) ON h.a = s.address_id
  CROSS JOIN LATERAL (
    SELECT o.id, o.status, o.next_attempt_at FROM outgoing_messages o
    WHERE o.address_id = s.address_id
      AND o.status IN ('queued', 'deferred') AND o.next_attempt_at <= $1::timestamptz
    ORDER BY o.address_id, o.next_attempt_at
    LIMIT least(greatest(coalesce(h.k, $6::int) - coalesce(h.n, 0), 0), $2::int)
  ) x
  UNION ALL
  -- A deleted address's rows only fail: no cap.
  (SELECT o.id, o.status, o.next_attempt_at FROM outgoing_messages o
    WHERE o.address_id IS NULL
      AND o.status IN ('queued', 'deferred') AND o.next_attempt_at <= $1::timestamptz
    ORDER BY o.address_id, o.next_attempt_at LIMIT $2::int)
), picked AS MATERIALIZED (
  -- Room for rows another claimer holds (skipped below) without locking every address's cap.
  -- MATERIALIZED: computed once; inlined, a plan with stale statistics (PGlite has no
  -- autovacuum) ran it again for every due row, 0.5-0.9 s a claim with 1,000 rows due.
  SELECT r.id, r.status, r.next_attempt_at FROM ranked r ORDER BY r.next_attempt_at LIMIT 2 * $2::int
), due AS (
  -- The re-check compares with the ranked row version, not with the due condition: a partial
  -- index then cannot serve o, so each picked row is one primary-key probe, whatever the
  -- statistics say (the due index scanned the whole backlog in a loop over picked).
  SELECT o.id FROM picked r JOIN outgoing_messages o
    ON o.id = r.id AND o.status = r.status AND o.next_attempt_at = r.next_attempt_at
  ORDER BY o.next_attempt_at
  LIMIT $2::int
  FOR UPDATE OF o SKIP LOCKED
), c AS (
  UPDATE outgoing_messages m SET status = 'sending', lease_token = $3::uuid,
    lease_until = $4::timestamptz, attempts = m.attempts + 1, updated_at = $1::timestamptz
  FROM due WHERE m.id = due.id
  RETURNING m.id, m.workspace_id, m.address_id, m.task_id, m.comment_id, m.author_employee_id,
    m.message_id, m.subject, encode(m.mime, 'base64') AS mime, m.size, m.attempts, m.created_at
), claimed AS (
  SELECT c.*, a.xmin::text AS address_version,
    (SELECT coalesce(json_agg(json_build_object('id', r.id, 'email', r.email, 'status', r.status,
        'recent', l.n, 'oldest', l.oldest)), '[]'::json)
      FROM outgoing_recipients r
      LEFT JOIN LATERAL (
        SELECT count(*)::int AS n, min(x.accepted_at) AS oldest FROM outgoing_recipients x
        WHERE r.status = 'pending' AND x.workspace_id = r.workspace_id
          AND lower(x.email) = lower(r.email) AND x.accepted_at > $5::timestamptz
      ) l ON true
      WHERE r.outgoing_message_id = c.id) AS recipients
  FROM c CROSS JOIN cfg LEFT JOIN email_addresses a ON a.id = c.address_id
) SELECT json_build_object('rows', coalesce(json_agg(claimed), '[]'),
  -- Statistics older than the backlog (decision 0008, "Statistics behind the backlog"): this
  -- claim ranked more waiting rows than the last ANALYZE counted in the index that holds them
  -- all. The worker then runs ANALYZE; below ${BEHIND_MIN} ranked rows a stale plan costs less.
  'behind', (SELECT count(*) FROM ranked) >= ${BEHIND_MIN} AND (SELECT count(*) FROM ranked) >
    2 * (SELECT greatest(c.reltuples, 0) FROM pg_class c
      WHERE c.oid = 'outgoing_messages_address_due_idx'::regclass))::text
FROM claimed`;
