-- How many memberships an organization has, by kind and status, kept by
-- triggers so that the frame of every page and an unfiltered members list read
-- one row instead of counting every membership.
CREATE TABLE member_counts (
    organization_id     BLOB PRIMARY KEY NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    team_active         INTEGER NOT NULL DEFAULT 0,
    team_deactivated    INTEGER NOT NULL DEFAULT 0,
    partner_active      INTEGER NOT NULL DEFAULT 0,
    partner_deactivated INTEGER NOT NULL DEFAULT 0
);

INSERT INTO member_counts (organization_id, team_active, team_deactivated, partner_active, partner_deactivated)
SELECT organization_id,
       SUM(kind = 'team' AND status = 'active'),
       SUM(kind = 'team' AND status = 'deactivated'),
       SUM(kind = 'partner' AND status = 'active'),
       SUM(kind = 'partner' AND status = 'deactivated')
FROM memberships GROUP BY organization_id;

CREATE TRIGGER member_counts_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO member_counts (organization_id) VALUES (NEW.organization_id)
        ON CONFLICT (organization_id) DO NOTHING;
    UPDATE member_counts SET
        team_active = team_active + (NEW.kind = 'team' AND NEW.status = 'active'),
        team_deactivated = team_deactivated + (NEW.kind = 'team' AND NEW.status = 'deactivated'),
        partner_active = partner_active + (NEW.kind = 'partner' AND NEW.status = 'active'),
        partner_deactivated = partner_deactivated + (NEW.kind = 'partner' AND NEW.status = 'deactivated')
    WHERE organization_id = NEW.organization_id;
END;

CREATE TRIGGER member_counts_delete AFTER DELETE ON memberships BEGIN
    UPDATE member_counts SET
        team_active = team_active - (OLD.kind = 'team' AND OLD.status = 'active'),
        team_deactivated = team_deactivated - (OLD.kind = 'team' AND OLD.status = 'deactivated'),
        partner_active = partner_active - (OLD.kind = 'partner' AND OLD.status = 'active'),
        partner_deactivated = partner_deactivated - (OLD.kind = 'partner' AND OLD.status = 'deactivated')
    WHERE organization_id = OLD.organization_id;
END;

-- A membership never moves to another organization (only kind and status change).
CREATE TRIGGER member_counts_update AFTER UPDATE OF kind, status ON memberships
WHEN OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status BEGIN
    UPDATE member_counts SET
        team_active = team_active - (OLD.kind = 'team' AND OLD.status = 'active')
                                  + (NEW.kind = 'team' AND NEW.status = 'active'),
        team_deactivated = team_deactivated - (OLD.kind = 'team' AND OLD.status = 'deactivated')
                                            + (NEW.kind = 'team' AND NEW.status = 'deactivated'),
        partner_active = partner_active - (OLD.kind = 'partner' AND OLD.status = 'active')
                                        + (NEW.kind = 'partner' AND NEW.status = 'active'),
        partner_deactivated = partner_deactivated - (OLD.kind = 'partner' AND OLD.status = 'deactivated')
                                                  + (NEW.kind = 'partner' AND NEW.status = 'deactivated')
    WHERE organization_id = NEW.organization_id;
END;

-- An organization_id never changes; refuse it rather than let the counts drift.
CREATE TRIGGER memberships_stay_in_their_organization BEFORE UPDATE OF organization_id ON memberships
WHEN OLD.organization_id IS NOT NEW.organization_id BEGIN
    SELECT RAISE(ABORT, 'a membership cannot move to another organization');
END;
