-- The Members list filters by kind (team members or partners): the kind index
-- carries the name order and the address, as the unfiltered name index does, so
-- a filtered page reads one index. Counts come from member_counts (0006), which
-- the old (organization, status, kind) index served.
DROP INDEX memberships_org_status_kind;
CREATE INDEX memberships_org_status_kind_name ON memberships (organization_id, status, kind, name_key, id, email_key);
