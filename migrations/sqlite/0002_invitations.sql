-- Sub-accounts, membership permissions (modules and sub-account access) and invitations.

CREATE TABLE sub_accounts (
    id              BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    archived_at     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX sub_accounts_org_name ON sub_accounts (organization_id, name_key);

-- Granted modules as a ';'-separated list; sub-account access is "all" or the listed ones.
ALTER TABLE memberships ADD COLUMN modules TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN all_sub_accounts INTEGER NOT NULL DEFAULT 1;

CREATE TABLE membership_sub_accounts (
    membership_id  BLOB NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
    sub_account_id BLOB NOT NULL REFERENCES sub_accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (membership_id, sub_account_id)
);

CREATE TABLE invitations (
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
    status           TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'cancelled')),
    mail_id          BLOB,
    send_count       INTEGER NOT NULL DEFAULT 1,
    sent_at          TEXT NOT NULL,
    expires_at       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    accepted_at      TEXT,
    accepted_user_id BLOB REFERENCES users (id) ON DELETE SET NULL,
    cancelled_at     TEXT
);
CREATE UNIQUE INDEX invitations_token_hash ON invitations (token_hash);
-- At most one pending invitation per organization and address.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (organization_id, email_key) WHERE status = 'pending';
-- The Invitations tab pages through this index, newest first.
CREATE INDEX invitations_org_status_sent ON invitations (organization_id, status, sent_at, id);

CREATE TABLE invitation_sub_accounts (
    invitation_id  BLOB NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    sub_account_id BLOB NOT NULL REFERENCES sub_accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (invitation_id, sub_account_id)
);
