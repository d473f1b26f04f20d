-- Partners' inactivity policy (issue 13, item 6): an organization may end a
-- partner's access by itself after a number of days without activity there
-- (off by default). The days count from the latest of the partner's last
-- activity, their (re)activation and the moment the policy was turned on, so
-- turning it on never ends anyone at once.

ALTER TABLE organizations ADD COLUMN partner_inactivity_days INTEGER;
ALTER TABLE organizations ADD COLUMN partner_inactivity_since TEXT;
-- When the membership was last activated (set on reactivation; NULL: since it was created).
ALTER TABLE memberships ADD COLUMN active_since TEXT;

-- The job reads the organizations that have the policy, then their active partners.
CREATE INDEX organizations_partner_inactivity ON organizations (id) WHERE partner_inactivity_days IS NOT NULL;
CREATE INDEX memberships_active_partners ON memberships (organization_id) WHERE kind = 'partner' AND status = 'active';
