-- Users, organizations, memberships, sessions, password resets, audit events, outbox mail.
-- Timestamps are RFC 3339 UTC text written by the application; ids are UUID v7 blobs.

CREATE TABLE users (
    id            BLOB PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email_key);

CREATE TABLE organizations (
    id                        BLOB PRIMARY KEY NOT NULL,
    name                      TEXT NOT NULL,
    slug                      TEXT NOT NULL,
    invitation_lifetime_secs  INTEGER NOT NULL DEFAULT 604800,
    created_at                TEXT NOT NULL
);
CREATE UNIQUE INDEX organizations_slug ON organizations (slug);

CREATE TABLE memberships (
    id              BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('team', 'partner')),
    role            TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'billing_admin', 'user')),
    status          TEXT NOT NULL CHECK (status IN ('active', 'deactivated')),
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX memberships_org_user ON memberships (organization_id, user_id);
CREATE INDEX memberships_user ON memberships (user_id);
-- A person is a team member of at most one organization, a partner of any number.
CREATE UNIQUE INDEX memberships_one_team ON memberships (user_id) WHERE kind = 'team';

CREATE TABLE sessions (
    id           BLOB PRIMARY KEY NOT NULL,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
CREATE UNIQUE INDEX sessions_token_hash ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE password_resets (
    id         BLOB PRIMARY KEY NOT NULL,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE UNIQUE INDEX password_resets_token_hash ON password_resets (token_hash);
CREATE INDEX password_resets_user ON password_resets (user_id);

CREATE TABLE audit_events (
    id              BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB REFERENCES organizations (id) ON DELETE CASCADE,
    actor_user_id   BLOB REFERENCES users (id) ON DELETE SET NULL,
    action          TEXT NOT NULL,
    target_user_id  BLOB REFERENCES users (id) ON DELETE SET NULL,
    subject         TEXT,
    ip              TEXT,
    details         TEXT NOT NULL DEFAULT '{}',
    created_at      TEXT NOT NULL
);
CREATE INDEX audit_events_org_time ON audit_events (organization_id, created_at);
CREATE INDEX audit_events_action_subject_time ON audit_events (action, subject, created_at);
CREATE INDEX audit_events_action_ip_time ON audit_events (action, ip, created_at);

CREATE TABLE outbox (
    id              BLOB PRIMARY KEY NOT NULL,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    locked_until    TEXT,
    last_error      TEXT,
    transport       TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_created ON outbox (created_at);
