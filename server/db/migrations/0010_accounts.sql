-- People of every role. Personal columns become NULL when an account is erased;
-- the row stays so that anonymous figures (orders, deliveries) still add up.
CREATE TABLE users (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    role              text NOT NULL CHECK (role IN
                      ('customer', 'restaurateur', 'courier', 'developer', 'sales', 'tech')),
    email             text,
    password_hash     text,
    name              text,
    phone             text,
    language          text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
    profile           jsonb NOT NULL DEFAULT '{}',
    referral_code     text NOT NULL UNIQUE,
    referred_by       uuid REFERENCES users (id),
    credit_cents      integer NOT NULL DEFAULT 0 CHECK (credit_cents >= 0),
    suspended_until   timestamptz,
    suspension_reason text,
    -- bumped to make every access token issued before it fail at once
    token_version     integer NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    deleted_at        timestamptz
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX users_role ON users (role, created_at);

-- Refresh tokens are stored hashed; each use rotates the token within its family,
-- and presenting an already-used token revokes the whole family.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE connection_logs (
    id          bigserial PRIMARY KEY,
    user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    email       text,
    success     boolean NOT NULL,
    reason      text NOT NULL,
    ip          text,
    user_agent  text,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connection_logs_at ON connection_logs (at DESC);
CREATE INDEX connection_logs_user ON connection_logs (user_id, at DESC);
