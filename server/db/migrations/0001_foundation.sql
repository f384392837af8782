-- Events of every aggregate, written in the same transaction as the change they
-- describe. seq counts per aggregate from 1 with no gap; relays read by id.
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    aggregate    text        NOT NULL,
    aggregate_id uuid        NOT NULL,
    seq          integer     NOT NULL CHECK (seq > 0),
    type         text        NOT NULL,
    data         jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (aggregate, aggregate_id, seq)
);
