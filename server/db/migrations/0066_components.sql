-- Reusable components published by the technical staff: one row per version, with the
-- tarball itself (a few MB at most), so every node serves it without shared files.
-- A removed version keeps its row (the tarball emptied): its number is never reused, as
-- npm clients cache a version's integrity forever.
CREATE TABLE components (
    name         text NOT NULL,
    version      text NOT NULL,
    description  text NOT NULL DEFAULT '',
    manifest     jsonb NOT NULL,
    tarball      bytea NOT NULL,
    size_bytes   integer NOT NULL CHECK (size_bytes >= 0),
    shasum       text NOT NULL,
    integrity    text NOT NULL,
    published_by uuid REFERENCES users (id) ON DELETE SET NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    removed_at   timestamptz,
    PRIMARY KEY (name, version)
);
CREATE INDEX components_live ON components (name) WHERE removed_at IS NULL;

-- Every download, through the API or the npm client: who, what, when, from where.
CREATE TABLE component_downloads (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL,
    version    text NOT NULL,
    user_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    api_key_id uuid REFERENCES api_keys (id) ON DELETE SET NULL,
    via        text NOT NULL CHECK (via IN ('api', 'npm')),
    -- personal: blanked when the person's account is erased
    ip         text,
    user_agent text,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX component_downloads_at ON component_downloads (at DESC, id DESC);
CREATE INDEX component_downloads_user ON component_downloads (user_id);
