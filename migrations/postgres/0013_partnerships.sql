-- Partner organizations (issue 14, seed 004, DESIGN.md "Organization partnerships"):
-- one row per relationship between two organizations, whichever direction.

CREATE TABLE partnerships (
    id                  UUID PRIMARY KEY,
    -- NULL only once that organization is deleted (the other side keeps its history).
    requester_id        UUID REFERENCES organizations (id) ON DELETE SET NULL,
    -- NULL while the typed address addresses no organization: its owner is
    -- invited to create one, which then finds the request waiting.
    recipient_id        UUID REFERENCES organizations (id) ON DELETE SET NULL,
    -- The address as typed (the sender sees it until the other side answers)
    -- and its key (how sign-up finds a waiting request).
    recipient_email     TEXT NOT NULL,
    recipient_email_key TEXT NOT NULL,
    requested_by        UUID REFERENCES users (id) ON DELETE SET NULL,
    status              TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    -- Whether each side still holds it (sees it in its lists); see the table in DESIGN.md.
    requester_holds     BOOLEAN NOT NULL DEFAULT TRUE,
    recipient_holds     BOOLEAN NOT NULL DEFAULT TRUE,
    -- Every change adds one: an action from a stale page changes nothing.
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL,
    answered_at         TIMESTAMPTZ,
    answered_by         UUID REFERENCES users (id) ON DELETE SET NULL,
    -- Set when neither side holds it any more (or an organization was deleted).
    ended_at            TIMESTAMPTZ,
    CHECK (requester_id <> recipient_id)
);
-- One live relationship per pair of organizations, whichever direction.
CREATE UNIQUE INDEX partnerships_live_pair
    ON partnerships (LEAST(requester_id, recipient_id), GREATEST(requester_id, recipient_id))
    WHERE ended_at IS NULL AND recipient_id IS NOT NULL AND requester_id IS NOT NULL;
-- One waiting request per sender and unaddressed address.
CREATE UNIQUE INDEX partnerships_waiting_address ON partnerships (requester_id, recipient_email_key)
    WHERE ended_at IS NULL AND recipient_id IS NULL;
-- Each side's lists, and sign-up's look-up of requests waiting for an address.
CREATE INDEX partnerships_by_requester ON partnerships (requester_id, created_at) WHERE ended_at IS NULL;
CREATE INDEX partnerships_by_recipient ON partnerships (recipient_id, status, created_at) WHERE ended_at IS NULL;
CREATE INDEX partnerships_by_address ON partnerships (recipient_email_key)
    WHERE ended_at IS NULL AND recipient_id IS NULL;

-- Every relationship an organization was ever a side of, ended or not (its
-- timeline; and what a deleted organization's foreign keys set to NULL).
CREATE INDEX partnerships_requester ON partnerships (requester_id);
CREATE INDEX partnerships_recipient ON partnerships (recipient_id);

-- The timeline of each relationship: who did what, when, and which sides may read it
-- (a side reads its own events, and the other side's while it held the relationship).
CREATE TABLE partnership_events (
    id              UUID PRIMARY KEY,
    partnership_id  UUID NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    event           TEXT NOT NULL CHECK (event IN ('sent', 'accepted', 'rejected', 'deleted', 'ended')),
    side            TEXT NOT NULL CHECK (side IN ('requester', 'recipient')),
    actor_user_id   UUID REFERENCES users (id) ON DELETE SET NULL,
    actor_name      TEXT NOT NULL,
    organization    TEXT NOT NULL,
    requester_sees  BOOLEAN NOT NULL,
    recipient_sees  BOOLEAN NOT NULL,
    at              TIMESTAMPTZ NOT NULL
);
CREATE INDEX partnership_events_timeline ON partnership_events (partnership_id, at);
