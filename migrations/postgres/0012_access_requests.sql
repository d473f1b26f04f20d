-- Access requests (issue 13, item 6): a person asks an organization for partner
-- access with the organization's partner request code; its admins edit the
-- proposed access, then approve (a partner membership is created) or decline.

-- The code admins hand out (NULL until one is created; a new one replaces the old).
ALTER TABLE organizations ADD COLUMN partner_request_code TEXT;
CREATE UNIQUE INDEX organizations_partner_request_code ON organizations (partner_request_code)
    WHERE partner_request_code IS NOT NULL;

CREATE TABLE access_requests (
    id               UUID PRIMARY KEY,
    organization_id  UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- What the person proposes; the admin who approves chooses what is granted.
    role             TEXT NOT NULL CHECK (role IN ('admin', 'billing_admin', 'user')),
    modules          TEXT NOT NULL DEFAULT '',
    all_sub_accounts BOOLEAN NOT NULL DEFAULT FALSE,
    message          TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    created_at       TIMESTAMPTZ NOT NULL,
    decided_at       TIMESTAMPTZ,
    decided_by       UUID REFERENCES users (id) ON DELETE SET NULL
);
-- One open request per person and organization; the admins' list reads by organization.
CREATE UNIQUE INDEX access_requests_pending ON access_requests (organization_id, user_id) WHERE status = 'pending';
CREATE INDEX access_requests_organization ON access_requests (organization_id, status, created_at);
CREATE INDEX access_requests_user ON access_requests (user_id, status);
