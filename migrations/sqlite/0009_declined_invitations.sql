-- My organizations (issue 13): an invitee declines an invitation there, and
-- sees the invitations waiting for their address.
--
-- SQLite cannot change a CHECK constraint in place, so `invitations` is rebuilt
-- with 'declined' allowed. Migrations run in a transaction with foreign keys
-- on: dropping `invitations` would delete its sub-account rows through their
-- cascade, so those are set aside first and put back after.

CREATE TABLE invitations_declinable (
    id               BLOB PRIMARY KEY NOT NULL,
    organization_id  BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email            TEXT NOT NULL,
    email_key        TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('team', 'partner')),
    role             TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'billing_admin', 'user')),
    modules          TEXT NOT NULL DEFAULT '',
    all_sub_accounts INTEGER NOT NULL DEFAULT 1,
    inviter_user_id  BLOB REFERENCES users (id) ON DELETE SET NULL,
    token_hash       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'cancelled', 'declined')),
    mail_id          BLOB,
    send_count       INTEGER NOT NULL DEFAULT 1,
    sent_at          TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    accepted_at      TEXT,
    accepted_user_id BLOB REFERENCES users (id) ON DELETE SET NULL,
    cancelled_at     TEXT,
    access_ends_at   TEXT,
    declined_at      TEXT
);
INSERT INTO invitations_declinable
    (id, organization_id, email, email_key, kind, role, modules, all_sub_accounts, inviter_user_id,
     token_hash, status, mail_id, send_count, sent_at, expires_at, created_at, accepted_at,
     accepted_user_id, cancelled_at, access_ends_at)
SELECT id, organization_id, email, email_key, kind, role, modules, all_sub_accounts, inviter_user_id,
       token_hash, status, mail_id, send_count, sent_at, expires_at, created_at, accepted_at,
       accepted_user_id, cancelled_at, access_ends_at
FROM invitations;

CREATE TEMP TABLE invitation_sub_accounts_kept AS SELECT invitation_id, sub_account_id FROM invitation_sub_accounts;
DROP TABLE invitation_sub_accounts;
DROP TABLE invitations;
ALTER TABLE invitations_declinable RENAME TO invitations;

CREATE UNIQUE INDEX invitations_token_hash ON invitations (token_hash);
-- At most one pending invitation per organization and address.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (organization_id, email_key) WHERE status = 'pending';
-- The Invitations tab pages through this index, newest first.
CREATE INDEX invitations_org_status_sent ON invitations (organization_id, status, sent_at, id);
-- My organizations lists the invitations waiting for one address.
CREATE INDEX invitations_pending_email ON invitations (email_key) WHERE status = 'pending';

CREATE TABLE invitation_sub_accounts (
    invitation_id  BLOB NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    sub_account_id BLOB NOT NULL REFERENCES sub_accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (invitation_id, sub_account_id)
);
INSERT INTO invitation_sub_accounts (invitation_id, sub_account_id)
SELECT invitation_id, sub_account_id FROM invitation_sub_accounts_kept;
DROP TABLE invitation_sub_accounts_kept;

-- Closing an account removes its address from the audit trail: events about an
-- address without a user id (failed log-ins, invitations) are found by it.
CREATE INDEX audit_events_subject ON audit_events (subject) WHERE subject IS NOT NULL;
