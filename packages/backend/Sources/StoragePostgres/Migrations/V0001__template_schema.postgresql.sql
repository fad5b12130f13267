-- 0001: the FastAPI template's schema at its last Alembic revision (fe56fa70289e), column for
-- column and constraint for constraint, so that the template could run on a database made here.
-- A database the template made has all of it already, and IF NOT EXISTS leaves it as it is. A
-- database made here is stamped at that revision, as `alembic stamp head` would; an
-- alembic_version the template wrote is not touched.
CREATE TABLE IF NOT EXISTS "user" (
    email character varying(255) NOT NULL,
    is_active boolean NOT NULL,
    is_superuser boolean NOT NULL,
    full_name character varying(255),
    hashed_password character varying NOT NULL,
    id uuid NOT NULL,
    created_at timestamp with time zone,
    CONSTRAINT user_pkey PRIMARY KEY (id)
);

CREATE UNIQUE INDEX IF NOT EXISTS ix_user_email ON "user" USING btree (email);

CREATE TABLE IF NOT EXISTS item (
    description character varying(255),
    title character varying(255) NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    created_at timestamp with time zone,
    CONSTRAINT item_pkey PRIMARY KEY (id),
    CONSTRAINT item_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES "user" (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS alembic_version (
    version_num character varying(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

INSERT INTO alembic_version (version_num)
SELECT 'fe56fa70289e' WHERE NOT EXISTS (SELECT 1 FROM alembic_version);
