-- My organizations (issue 13): an invitee declines an invitation there, and
-- sees the invitations waiting for their address.

ALTER TABLE invitations DROP CONSTRAINT invitations_status_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_status_check
    CHECK (status IN ('pending', 'accepted', 'cancelled', 'declined'));
ALTER TABLE invitations ADD COLUMN declined_at TIMESTAMPTZ;

-- My organizations lists the invitations waiting for one address.
CREATE INDEX invitations_pending_email ON invitations (email_key) WHERE status = 'pending';

-- Closing an account removes its address from the audit trail: events about an
-- address without a user id (failed log-ins, invitations) are found by it.
CREATE INDEX audit_events_subject ON audit_events (subject) WHERE subject IS NOT NULL;
