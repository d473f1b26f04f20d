-- Partners' access end dates (issue 13). A partner membership may end at a time;
-- an invitation may carry the end its membership will get. The job that ends
-- access and sends the reminders claims rows by these columns, so it survives
-- restarts and several instances never end or remind twice.

-- When the partner's access ends (the start of the day after the date shown).
ALTER TABLE memberships ADD COLUMN access_ends_at TEXT;
-- When the reminder for the current end was sent; cleared when the end changes.
ALTER TABLE memberships ADD COLUMN access_reminded_at TEXT;
ALTER TABLE invitations ADD COLUMN access_ends_at TEXT;

-- The job reads only the active memberships that have an end, in time order.
CREATE INDEX memberships_access_ends ON memberships (access_ends_at) WHERE access_ends_at IS NOT NULL AND status = 'active';
