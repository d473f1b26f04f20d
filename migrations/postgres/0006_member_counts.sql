-- How many memberships an organization has, by kind and status, kept by a
-- trigger so that the frame of every page and an unfiltered members list read
-- one row instead of counting every membership. One row per organization, so a
-- change locks one counter row (never two in opposite orders).
CREATE TABLE member_counts (
    organization_id     UUID PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    team_active         BIGINT NOT NULL DEFAULT 0,
    team_deactivated    BIGINT NOT NULL DEFAULT 0,
    partner_active      BIGINT NOT NULL DEFAULT 0,
    partner_deactivated BIGINT NOT NULL DEFAULT 0
);

INSERT INTO member_counts (organization_id, team_active, team_deactivated, partner_active, partner_deactivated)
SELECT organization_id,
       COUNT(*) FILTER (WHERE kind = 'team' AND status = 'active'),
       COUNT(*) FILTER (WHERE kind = 'team' AND status = 'deactivated'),
       COUNT(*) FILTER (WHERE kind = 'partner' AND status = 'active'),
       COUNT(*) FILTER (WHERE kind = 'partner' AND status = 'deactivated')
FROM memberships GROUP BY organization_id;

CREATE FUNCTION member_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    org UUID;
    ta BIGINT := 0; td BIGINT := 0; pa BIGINT := 0; pd BIGINT := 0;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.organization_id <> NEW.organization_id THEN
        RAISE EXCEPTION 'a membership cannot move to another organization';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        org := OLD.organization_id;
        ta := ta - (OLD.kind = 'team' AND OLD.status = 'active')::int;
        td := td - (OLD.kind = 'team' AND OLD.status = 'deactivated')::int;
        pa := pa - (OLD.kind = 'partner' AND OLD.status = 'active')::int;
        pd := pd - (OLD.kind = 'partner' AND OLD.status = 'deactivated')::int;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        org := NEW.organization_id;
        ta := ta + (NEW.kind = 'team' AND NEW.status = 'active')::int;
        td := td + (NEW.kind = 'team' AND NEW.status = 'deactivated')::int;
        pa := pa + (NEW.kind = 'partner' AND NEW.status = 'active')::int;
        pd := pd + (NEW.kind = 'partner' AND NEW.status = 'deactivated')::int;
    END IF;
    IF ta = 0 AND td = 0 AND pa = 0 AND pd = 0 THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        -- No insert here: the organization itself may be going (a cascade).
        UPDATE member_counts SET
            team_active = team_active + ta, team_deactivated = team_deactivated + td,
            partner_active = partner_active + pa, partner_deactivated = partner_deactivated + pd
        WHERE organization_id = org;
        RETURN NULL;
    END IF;
    INSERT INTO member_counts AS c (organization_id, team_active, team_deactivated, partner_active, partner_deactivated)
    VALUES (org, ta, td, pa, pd)
    ON CONFLICT (organization_id) DO UPDATE SET
        team_active = c.team_active + EXCLUDED.team_active,
        team_deactivated = c.team_deactivated + EXCLUDED.team_deactivated,
        partner_active = c.partner_active + EXCLUDED.partner_active,
        partner_deactivated = c.partner_deactivated + EXCLUDED.partner_deactivated;
    RETURN NULL;
END $$;

CREATE TRIGGER member_counts_follow
AFTER INSERT OR DELETE OR UPDATE OF organization_id, kind, status ON memberships
FOR EACH ROW EXECUTE FUNCTION member_counts_follow();
