-- Members, roles and permissions: last activity, list indexes, billing details and
-- seat history (issue 4).

-- When the member last opened the organization (written at most every few minutes).
ALTER TABLE memberships ADD COLUMN last_active_at TIMESTAMPTZ;
-- The Members tabs sort, search and page within (organization, status) on indexes alone:
-- the person's lower-cased name and address are kept on the membership (the name is
-- updated with the profile; addresses never change), so only the 25 rows shown are
-- joined with their users.
ALTER TABLE memberships ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
UPDATE memberships SET
    name_key = (SELECT LOWER(u.name) FROM users u WHERE u.id = memberships.user_id),
    email_key = (SELECT u.email_key FROM users u WHERE u.id = memberships.user_id);
-- With the address in it, a search reads this index alone.
CREATE INDEX memberships_org_status_name ON memberships (organization_id, status, name_key, id, email_key);
-- The header's counts of team members and partners.
CREATE INDEX memberships_org_status_kind ON memberships (organization_id, status, kind);
CREATE INDEX memberships_org_status_created ON memberships (organization_id, status, created_at, id);
CREATE INDEX memberships_org_status_role ON memberships (organization_id, status,
    (CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'billing_admin' THEN 2 ELSE 3 END), name_key, id);

-- The Audit log module filters by action and pages by time.
CREATE INDEX audit_events_org_action_time ON audit_events (organization_id, action, created_at);

-- The Billing module: who receives the bills, where, with which tax ID.
CREATE TABLE billing_profiles (
    organization_id UUID PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    contact_name    TEXT NOT NULL DEFAULT '',
    contact_email   TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    tax_id          TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- Seat history: one row per stretch of time a person held an active membership.
-- Month-by-month seat usage is computed from it.
CREATE TABLE seat_periods (
    id              UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('team', 'partner')),
    started_at      TIMESTAMPTZ NOT NULL,
    ended_at        TIMESTAMPTZ
);
CREATE INDEX seat_periods_org_started ON seat_periods (organization_id, started_at);
-- At most one open period per person and organization.
CREATE UNIQUE INDEX seat_periods_open ON seat_periods (organization_id, user_id) WHERE ended_at IS NULL;

-- Active memberships of before this migration hold a seat since they were created.
INSERT INTO seat_periods (id, organization_id, user_id, kind, started_at, ended_at)
SELECT gen_random_uuid(), organization_id, user_id, kind, created_at, NULL
FROM memberships WHERE status = 'active';
