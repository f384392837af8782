-- Idempotency-Key claims and the first answer they got. The row is claimed before the
-- handler runs (the primary key makes one request win), then completed with the answer.
CREATE TABLE idempotency_keys (
    owner        text NOT NULL,
    key          text NOT NULL,
    fingerprint  bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    locked_at    timestamptz NOT NULL DEFAULT now(),
    status       integer,
    headers      jsonb,
    body         bytea,
    completed_at timestamptz,
    PRIMARY KEY (owner, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
