-- bench/note-event.pgbench.sql plus the two statements the app adds to every NOTE event: the
-- due-timer SELECT of fireDueTimers (before COMMIT) and the case read of CaseService.get (after
-- COMMIT, on its own pooled connection; here on the same one). 7 round trips, as the app sends.
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
SELECT id, kind, due_at FROM case_timers
 WHERE case_id = :p_id AND fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now()
 ORDER BY due_at, id LIMIT 1;
COMMIT;
SELECT c.*,
  COALESCE((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'url', e.url, 'sha256', e.sha256,
      'description', e.description, 'added_by', e.added_by, 'created_at', e.created_at) ORDER BY e.created_at, e.id)
    FROM case_evidence e WHERE e.case_id = c.id), '[]') AS evidence,
  COALESCE((SELECT json_agg(json_build_object('kind', t.kind, 'due_at', t.due_at, 'fired_at', t.fired_at,
      'breached', t.breached) ORDER BY t.due_at, t.id)
    FROM case_timers t WHERE t.case_id = c.id AND t.cancelled_at IS NULL), '[]') AS deadlines
 FROM cases c WHERE c.id = :p_id
 ORDER BY c.created_at DESC, c.id DESC LIMIT 1;
