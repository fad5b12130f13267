-- 0001: the reference template's final schema (the end state of its 5 Alembic revisions), for SQLite.
-- ids are lower-case hyphenated UUID text; booleans are 0/1; created_at is microseconds since the
-- Unix epoch in UTC, so it orders correctly and reads back exactly (RFC 3339 with microseconds).
CREATE TABLE "user" (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL CHECK (length(email) <= 255),
    is_active INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    is_superuser INTEGER NOT NULL CHECK (is_superuser IN (0, 1)),
    full_name TEXT CHECK (length(full_name) <= 255),
    hashed_password TEXT NOT NULL,
    created_at INTEGER
) STRICT;

CREATE UNIQUE INDEX ix_user_email ON "user" (email);
CREATE INDEX ix_user_created_at ON "user" (created_at DESC);

CREATE TABLE item (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL CHECK (length(title) <= 255),
    description TEXT CHECK (length(description) <= 255),
    owner_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    created_at INTEGER
) STRICT;

CREATE INDEX ix_item_created_at ON item (created_at DESC);
-- Serves both the per-owner listing and the cascade's lookup of a deleted user's items.
CREATE INDEX ix_item_owner_id_created_at ON item (owner_id, created_at DESC);
