-- One row per referee: its primary key is what makes a referral reward happen exactly
-- once, however often and however concurrently the triggering feature asks for it.
CREATE TABLE referral_rewards (
    referee_id     uuid PRIMARY KEY REFERENCES users (id),
    referrer_id    uuid NOT NULL REFERENCES users (id),
    referee_cents  integer NOT NULL CHECK (referee_cents >= 0),
    referrer_cents integer NOT NULL CHECK (referrer_cents >= 0),
    granted_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_rewards_referrer ON referral_rewards (referrer_id);
CREATE INDEX users_referred_by ON users (referred_by, created_at) WHERE referred_by IS NOT NULL;
