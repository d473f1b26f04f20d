-- Searching people by any part of their name or address (Contacts across
-- partner organizations, issue 14) without reading every membership: a
-- trigram full-text index (FTS5) over each membership's lower-cased name and
-- address. A search of three characters or more reads the rows that contain
-- it; a shorter one still scans the organization's index range.
--
-- FTS5 keys its rows by an integer; memberships are keyed by a UUID, and their
-- implicit rowid may change on VACUUM, so each membership gets a stable
-- integer here.
CREATE TABLE membership_search_rows (
    rowid         INTEGER PRIMARY KEY,
    membership_id BLOB NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE membership_search USING fts5 (name_key, email_key, tokenize = 'trigram');

INSERT INTO membership_search_rows (membership_id) SELECT id FROM memberships;
INSERT INTO membership_search (rowid, name_key, email_key)
SELECT r.rowid, m.name_key, m.email_key
FROM membership_search_rows r JOIN memberships m ON m.id = r.membership_id;

CREATE TRIGGER membership_search_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO membership_search_rows (membership_id) VALUES (NEW.id);
    INSERT INTO membership_search (rowid, name_key, email_key)
    VALUES ((SELECT rowid FROM membership_search_rows WHERE membership_id = NEW.id),
            NEW.name_key, NEW.email_key);
END;

CREATE TRIGGER membership_search_update AFTER UPDATE OF name_key, email_key ON memberships BEGIN
    UPDATE membership_search SET name_key = NEW.name_key, email_key = NEW.email_key
    WHERE rowid = (SELECT rowid FROM membership_search_rows WHERE membership_id = NEW.id);
END;

CREATE TRIGGER membership_search_delete AFTER DELETE ON memberships BEGIN
    DELETE FROM membership_search
    WHERE rowid = (SELECT rowid FROM membership_search_rows WHERE membership_id = OLD.id);
    DELETE FROM membership_search_rows WHERE membership_id = OLD.id;
END;
