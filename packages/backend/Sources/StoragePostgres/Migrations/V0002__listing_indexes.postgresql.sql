-- 0002: indexes of our own, in the listings' order (created_at DESC NULLS LAST, id), so a page is
-- read straight off an index; the per-owner one also serves the cascade's lookup of a deleted
-- user's items, which the template's schema leaves to a scan of every item.
CREATE INDEX IF NOT EXISTS ix_user_created_at_id ON "user" (created_at DESC NULLS LAST, id);
CREATE INDEX IF NOT EXISTS ix_item_created_at_id ON item (created_at DESC NULLS LAST, id);
CREATE INDEX IF NOT EXISTS ix_item_owner_id_created_at_id ON item (owner_id, created_at DESC NULLS LAST, id);
