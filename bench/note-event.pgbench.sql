-- The SQL one NOTE event costs in src/cases/case.service.ts (apply -> lock -> writeEntries), as
-- pgbench runs it: 5 round trips, extended protocol (-M extended, like node-postgres's unnamed
-- statements). The case is a random NOTE target of the current run (bench_cases, filled by
-- bench/events.bench.js; the lookup is a subquery inside the lock statement, no extra round trip).
-- The app also sends, per NOTE event, the due-timer SELECT (fireDueTimers) before COMMIT and the
-- case read (get) after it: see BENCHMARKS.md. The hash is computed in the app (JS); here a constant.
\set n random(1, :ncases)
BEGIN;
SELECT c.*, m.country AS m_country, m.timezone AS m_timezone, m.language AS m_language,
       m.webhook_url AS m_webhook_url, s.country AS s_country, s.timezone AS s_timezone,
       s.webhook_url AS s_webhook_url
  FROM cases c JOIN merchants m ON m.id = c.merchant_id JOIN suppliers s ON s.id = c.supplier_id
 WHERE c.id = (SELECT id FROM bench_cases WHERE n = :n) FOR UPDATE OF c \gset p_
INSERT INTO timeline_entries (case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash)
VALUES (:p_id, :p_version + 1, now(), 'NOTE', '{"kind":"merchant","id": null}', :p_state, :p_state,
        '{"text":"pgbench note"}', :p_last_hash,
        'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f');
UPDATE cases SET snapshot = :p_snapshot, state = :p_state, status = :p_status, outcome = NULLIF(:p_outcome, ''),
       phase = :p_phase, breached = :p_breached, version = :p_version + 1,
       last_hash = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f', updated_at = now(),
       evidence_count = :p_evidence_count, photo_video_count = :p_photo_video_count,
       closed_at = CASE WHEN :p_status = 'closed' THEN COALESCE(closed_at, now()) ELSE NULL END
 WHERE id = :p_id;
COMMIT;
