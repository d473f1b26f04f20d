-- Security hardening (issue 10): attempt limits claimed atomically, sign-up that
-- proves the address before an account exists, and which addresses are proven.

-- One row per limited thing ("login-account:ana@example.com"); a claim locks it
-- (a row lock here, a write lock in SQLite) while it counts and records.
CREATE TABLE limit_keys (
    key TEXT PRIMARY KEY NOT NULL
);
-- Every attempt that took a slot: counted over a sliding window.
CREATE TABLE limit_attempts (
    id  UUID PRIMARY KEY,
    key TEXT NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX limit_attempts_key_at ON limit_attempts (key, at);
CREATE INDEX limit_attempts_at ON limit_attempts (at);

-- A sign-up waiting for its emailed link: the account and organization exist only
-- once the link is followed.
CREATE TABLE signup_requests (
    id                UUID PRIMARY KEY,
    email             TEXT NOT NULL,
    email_key         TEXT NOT NULL,
    name              TEXT NOT NULL,
    organization_name TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    token_hash        TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    used_at           TIMESTAMPTZ
);
CREATE UNIQUE INDEX signup_requests_token_hash ON signup_requests (token_hash);
CREATE INDEX signup_requests_expires ON signup_requests (expires_at);

-- When the address was proven by an emailed link (sign-up, invitation, reset).
-- Accounts made before this migration have not proven theirs.
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMPTZ;
