-- Keys third parties call the API with. Only a hash of the secret part is kept; the
-- public id (also inside the key) finds the row without scanning.
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL,
    public_id     text NOT NULL UNIQUE,
    secret_hash   bytea NOT NULL,
    scopes        text[] NOT NULL,
    plan          text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- written at most once a minute per key, so busy keys cost no write per request
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at DESC);
