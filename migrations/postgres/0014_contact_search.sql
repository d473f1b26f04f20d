-- Searching people by any part of their name or address (Contacts across
-- partner organizations, issue 14) without reading every membership: trigram
-- indexes (pg_trgm, shipped with PostgreSQL and trusted since version 13, so
-- a database owner may create it) serve `LIKE '%text%'` on the lower-cased
-- name and address. A search of three characters or more reads the rows that
-- contain it; a shorter one still scans the organization's index range.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

--
-- People join one at a time, and searches should not wait for a vacuum to
-- merge a pending list of new entries, so new entries go into the index at once
-- (fastupdate off).
CREATE INDEX memberships_name_trigrams ON memberships USING gin (name_key gin_trgm_ops)
    WITH (fastupdate = off);
CREATE INDEX memberships_email_trigrams ON memberships USING gin (email_key gin_trgm_ops)
    WITH (fastupdate = off);
