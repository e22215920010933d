-- The SQL one NOTE event costs in src/cases/case.service.ts, as pgbench runs it: the two round trips
-- of the fast way (no transaction; prepared statements, -M prepared, as the app prepares them in
-- src/database/prepared.ts):
--   1. the read of the case with its parties, closures, deadlines and evidence (loadSql);
--   2. the step statement (src/cases/step-write.ts): the case row's update, guarded by its version,
--      with the timeline entry inserted from it.
-- The case is a random NOTE target of the current run (bench_cases, filled by bench/events.bench.js;
-- the lookup is a subquery inside the read, no extra round trip). The hash is computed in the app
-- (JS); here a constant. The entry's JSON is built here by the server, in the app by Node.
\set n random(1, :ncases)
SELECT c.*, m.country AS m_country, m.timezone AS m_timezone, m.language AS m_language,
       m.webhook_url AS m_webhook_url, s.country AS s_country, s.timezone AS s_timezone,
       s.webhook_url AS s_webhook_url,
       COALESCE((SELECT json_agg(json_build_object('from', to_char(sc.from_date, 'YYYY-MM-DD'),
         'to', to_char(sc.to_date, 'YYYY-MM-DD'))) FROM supplier_closures sc WHERE sc.supplier_id = s.id),
         '[]') AS closures,
       COALESCE((SELECT json_agg(json_build_object('id', t.id::text, 'kind', t.kind,
         'due_at', t.due_at, 'fired_at', t.fired_at, 'breached', t.breached) ORDER BY t.due_at, t.id)
         FROM case_timers t WHERE t.case_id = c.id AND t.cancelled_at IS NULL), '[]') AS deadlines,
       COALESCE((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'url', e.url,
         'sha256', e.sha256, 'description', e.description, 'added_by', e.added_by, 'created_at', e.created_at)
         ORDER BY e.created_at, e.id) FROM case_evidence e WHERE e.case_id = c.id), '[]') AS evidence
  FROM cases c JOIN merchants m ON m.id = c.merchant_id JOIN suppliers s ON s.id = c.supplier_id
 WHERE c.id = (SELECT id FROM bench_cases WHERE n = :n) \gset p_
WITH written AS (
  UPDATE cases SET snapshot = :p_snapshot, state = :p_state, status = :p_status::text,
         outcome = NULLIF(:p_outcome, ''), phase = :p_phase, breached = :p_breached,
         version = :p_version + 1,
         last_hash = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f', updated_at = now(),
         evidence_count = :p_evidence_count, photo_video_count = :p_photo_video_count,
         closed_at = CASE WHEN :p_status::text = 'closed' THEN COALESCE(closed_at, now()) ELSE NULL END
   WHERE id = :p_id AND version = :p_version
  RETURNING id),
appended AS (
  INSERT INTO timeline_entries (case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash)
  SELECT w.id, e.seq, now(), e.type, e.actor, e.from_state, e.to_state, e.payload, e.prev_hash, e.hash
    FROM written w, jsonb_to_recordset(jsonb_build_array(jsonb_build_object(
      'seq', :p_version + 1, 'type', 'NOTE', 'actor', jsonb_build_object('kind', 'merchant', 'id', NULL),
      'from_state', :p_state::text, 'to_state', :p_state::text, 'payload', jsonb_build_object('text', 'pgbench note'),
      'prev_hash', :p_last_hash::text,
      'hash', 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f')))
      AS e(seq integer, type text, actor jsonb, from_state text, to_state text, payload jsonb,
           prev_hash text, hash text))
SELECT (SELECT count(*) FROM written)::int AS written, NULL::json AS scheduled;
