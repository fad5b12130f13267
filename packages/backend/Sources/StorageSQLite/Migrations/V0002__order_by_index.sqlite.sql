-- 0002: indexes in the listings' full order (created_at DESC, id), so a page is read straight off
-- the index instead of sorting every row with the same timestamp in a temporary b-tree.
DROP INDEX ix_user_created_at;
CREATE INDEX ix_user_created_at_id ON "user" (created_at DESC, id);

DROP INDEX ix_item_created_at;
CREATE INDEX ix_item_created_at_id ON item (created_at DESC, id);

-- Also serves the cascade's lookup of a deleted user's items (owner_id is its first column).
DROP INDEX ix_item_owner_id_created_at;
CREATE INDEX ix_item_owner_id_created_at_id ON item (owner_id, created_at DESC, id);
