-- Webhook endpoints: a developer's URL, the event types it takes, and its signing secret.
-- The server signs with the secret, so it cannot keep a hash: it keeps it encrypted
-- (AES-GCM, nonce || ciphertext) under a key derived from SECRET_KEY.
CREATE TABLE webhook_endpoints (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url             text NOT NULL,
    description     text NOT NULL DEFAULT '',
    events          text[] NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    secret          bytea NOT NULL,
    -- after a rotation the previous secret still signs until previous_until
    previous_secret bytea,
    previous_until  timestamptz,
    -- set when a delivery was given up; cleared by the next success
    failing_since   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_user ON webhook_endpoints (user_id, created_at DESC);

-- One event for one endpoint, tried until it is delivered or given up. Deliveries of one
-- order to one endpoint go out one at a time in `position` order (the relay's order).
CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    position        bigserial NOT NULL,
    endpoint_id     uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        bigint NOT NULL,
    event_type      text NOT NULL,
    order_id        uuid NOT NULL,
    body            bytea NOT NULL,
    -- false for a redelivery asked by hand: a replay waits for nothing and holds nothing up
    in_sequence     boolean NOT NULL DEFAULT true,
    redelivery_of   uuid REFERENCES webhook_deliveries (id) ON DELETE SET NULL,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'given_up')),
    attempts        integer NOT NULL DEFAULT 0,
    -- also the lease of an attempt in flight: a worker that dies mid-attempt lets it come due again
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (endpoint_id, event_id)
    WHERE in_sequence;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (endpoint_id, order_id, position)
    WHERE status = 'pending' AND in_sequence;
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, position DESC);

-- Every try, as the delivery log shows it; finished_at stays null when the worker died during it.
CREATE TABLE webhook_attempts (
    id               bigserial PRIMARY KEY,
    delivery_id      uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    status_code      integer,
    error            text,
    duration_ms      integer,
    response_excerpt text,
    next_retry_at    timestamptz
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- How far the relay has read the outbox. Ids are handed out before commit, so a later id can
-- be seen before an earlier one: the missing ids are kept as gaps and read again for a while.
CREATE TABLE webhook_relay (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_event_id bigint NOT NULL
);
CREATE TABLE webhook_relay_gaps (
    event_id bigint PRIMARY KEY,
    seen_at  timestamptz NOT NULL DEFAULT now()
);
-- endpoints only get events from after their creation: the past need not be read
INSERT INTO webhook_relay (last_event_id) SELECT coalesce(max(id), 0) FROM outbox;
