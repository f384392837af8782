-- Order-shaped tables for W4, in their own schema of the benchmark database, until the
-- orders feature's own tables exist. outbox is the same table as migration 0001's.
CREATE SCHEMA IF NOT EXISTS w4;
CREATE TABLE IF NOT EXISTS w4.orders (
    id                 uuid PRIMARY KEY,
    customer_id        uuid        NOT NULL,
    restaurant_id      uuid        NOT NULL,
    status             text        NOT NULL,
    subtotal_cents     integer     NOT NULL CHECK (subtotal_cents >= 0),
    delivery_fee_cents integer     NOT NULL CHECK (delivery_fee_cents >= 0),
    service_fee_cents  integer     NOT NULL CHECK (service_fee_cents >= 0),
    total_cents        integer     NOT NULL CHECK (total_cents >= 0),
    address            jsonb       NOT NULL,
    payment_ref        text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS orders_customer ON w4.orders (customer_id, created_at DESC);
CREATE INDEX IF NOT EXISTS orders_restaurant ON w4.orders (restaurant_id, status, created_at);
CREATE TABLE IF NOT EXISTS w4.order_lines (
    order_id         uuid     NOT NULL REFERENCES w4.orders ON DELETE CASCADE,
    line_no          smallint NOT NULL,
    article_id       uuid     NOT NULL,
    name             text     NOT NULL,
    quantity         integer  NOT NULL CHECK (quantity > 0),
    unit_price_cents integer  NOT NULL CHECK (unit_price_cents >= 0),
    options          jsonb    NOT NULL DEFAULT '[]',
    PRIMARY KEY (order_id, line_no)
);
CREATE TABLE IF NOT EXISTS w4.outbox (
    id           bigserial PRIMARY KEY,
    aggregate    text        NOT NULL,
    aggregate_id uuid        NOT NULL,
    seq          integer     NOT NULL CHECK (seq > 0),
    type         text        NOT NULL,
    data         jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (aggregate, aggregate_id, seq)
);
