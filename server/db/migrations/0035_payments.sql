-- Our record of every payment operation on an order. The idempotency key makes a
-- retried operation land on the same row; the provider sees the same key too.
CREATE TABLE payments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id        uuid NOT NULL,
    operation       text NOT NULL CHECK (operation IN ('authorize', 'capture', 'void', 'refund')),
    amount_cents    integer NOT NULL CHECK (amount_cents >= 0),
    succeeded       boolean NOT NULL,
    provider        text NOT NULL,
    provider_ref    text,
    failure_code    text,
    idempotency_key text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_order ON payments (order_id, created_at);

-- The sandbox provider's own books, standing in for a card network that cannot run
-- here. It keeps only opaque tokens: never a card number or a security code.
CREATE TABLE sandbox_charges (
    id               text PRIMARY KEY,
    token            text NOT NULL,
    authorized_cents integer NOT NULL,
    captured_cents   integer NOT NULL DEFAULT 0,
    refunded_cents   integer NOT NULL DEFAULT 0,
    status           text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE sandbox_requests (
    idempotency_key text PRIMARY KEY,
    response        jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
