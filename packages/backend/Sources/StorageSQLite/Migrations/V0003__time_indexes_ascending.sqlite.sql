-- 0003: the listings' indexes keep created_at ascending (and id descending), read backwards for
-- ORDER BY created_at DESC, id. New rows, the newest, now go at an index's end instead of its
-- start: SQLite fills a b-tree's last page before it starts another, but splits any other page
-- in two, so the descending indexes stayed about half full (1.8 times the pages, and a split
-- every few commits under steady inserts).
DROP INDEX ix_user_created_at_id;
CREATE INDEX ix_user_created_at_id ON "user" (created_at, id DESC);

DROP INDEX ix_item_created_at_id;
CREATE INDEX ix_item_created_at_id ON item (created_at, id DESC);

-- Also serves the cascade's lookup of a deleted user's items (owner_id is its first column).
DROP INDEX ix_item_owner_id_created_at_id;
CREATE INDEX ix_item_owner_id_created_at_id ON item (owner_id, created_at, id DESC);
