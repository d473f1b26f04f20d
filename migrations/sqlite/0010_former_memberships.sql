-- Reinstating (issue 13, item 7): when a member is removed or leaves, their
-- access is kept for 90 days, so an admin who invites them again can restore
-- their former role, modules and sub-accounts. One row per organization and
-- person (the latest departure); the access-end job deletes rows past 90 days,
-- closing an account deletes its rows, and accepting any new invitation to the
-- organization deletes the row it may have restored.

CREATE TABLE former_memberships (
    organization_id  BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id          BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('team', 'partner')),
    role             TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'billing_admin', 'user')),
    modules          TEXT NOT NULL DEFAULT '',
    all_sub_accounts INTEGER NOT NULL DEFAULT 1,
    departure        TEXT NOT NULL CHECK (departure IN ('removed', 'left')),
    departed_at      TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX former_memberships_user ON former_memberships (user_id);
CREATE INDEX former_memberships_departed ON former_memberships (departed_at);

CREATE TABLE former_membership_sub_accounts (
    organization_id BLOB NOT NULL,
    user_id         BLOB NOT NULL,
    sub_account_id  BLOB NOT NULL REFERENCES sub_accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (organization_id, user_id, sub_account_id),
    FOREIGN KEY (organization_id, user_id)
        REFERENCES former_memberships (organization_id, user_id) ON DELETE CASCADE
);

-- An invitation that restores former access says so in its mail and audit event.
ALTER TABLE invitations ADD COLUMN restores_former INTEGER NOT NULL DEFAULT 0;
