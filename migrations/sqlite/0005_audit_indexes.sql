-- Limits no longer count from the audit trail: its two indexes for that only
-- slowed every insert.
DROP INDEX audit_events_action_subject_time;
DROP INDEX audit_events_action_ip_time;

-- A person's recent activity (the account page) reads their events as actor
-- and as target, newest first, by index instead of scanning the trail.
CREATE INDEX audit_events_actor_time ON audit_events (actor_user_id, created_at, id);
CREATE INDEX audit_events_target_time ON audit_events (target_user_id, created_at, id);
