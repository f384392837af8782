-- Orders, their lines as snapshotted when ordered, and their ratings.
-- seq is the order's event counter: it equals the seq of its latest event in outbox.
CREATE TABLE orders (
    id                 uuid PRIMARY KEY,
    customer_id        uuid NOT NULL REFERENCES users (id),
    restaurant_id      uuid NOT NULL REFERENCES restaurants (id),
    -- set by the delivery side when a courier takes the order
    courier_id         uuid REFERENCES users (id),
    status             text NOT NULL CHECK (status IN ('placed', 'accepted', 'preparing', 'ready',
                       'picked_up', 'delivered', 'refused', 'cancelled')),
    seq                integer NOT NULL CHECK (seq > 0),
    items_cents        integer NOT NULL CHECK (items_cents >= 0),
    delivery_fee_cents integer NOT NULL CHECK (delivery_fee_cents >= 0),
    service_fee_cents  integer NOT NULL CHECK (service_fee_cents >= 0),
    credit_cents       integer NOT NULL CHECK (credit_cents >= 0),
    total_cents        integer NOT NULL CHECK (total_cents >= 0),
    distance_m         integer NOT NULL CHECK (distance_m >= 0),
    -- personal: blanked when the customer's account is erased, figures stay
    delivery_address   text NOT NULL,
    delivery_lat       double precision CHECK (delivery_lat BETWEEN -90 AND 90),
    delivery_lng       double precision CHECK (delivery_lng BETWEEN -180 AND 180),
    note               text NOT NULL DEFAULT '',
    prep_minutes       integer CHECK (prep_minutes BETWEEN 1 AND 240),
    reason             text,
    -- the payments.order_id of the hold in force: the order's id, or a fresh one after an
    -- edit changed the total (a hold is authorised once per id, so a new amount needs one)
    payment_id         uuid NOT NULL,
    -- set once the money moved after the fact: captured at delivery, voided/refunded on exit
    captured_at        timestamptz,
    released_at        timestamptz,
    deadline_at        timestamptz NOT NULL,
    placed_at          timestamptz NOT NULL DEFAULT now(),
    accepted_at        timestamptz,
    preparing_at       timestamptz,
    ready_at           timestamptz,
    picked_up_at       timestamptz,
    delivered_at       timestamptz,
    refused_at         timestamptz,
    cancelled_at       timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
-- Each role's history, newest first, paged by (placed_at, id).
CREATE INDEX orders_customer ON orders (customer_id, placed_at DESC, id DESC);
CREATE INDEX orders_restaurant ON orders (restaurant_id, placed_at DESC, id DESC);
CREATE INDEX orders_courier ON orders (courier_id, placed_at DESC, id DESC) WHERE courier_id IS NOT NULL;
CREATE INDEX orders_placed ON orders (placed_at DESC, id DESC);
-- The acceptance deadline job reads only the orders still waiting.
CREATE INDEX orders_waiting ON orders (deadline_at) WHERE status = 'placed';
-- Money still to give back or take, retried until done.
CREATE INDEX orders_money_due ON orders (updated_at)
    WHERE (status IN ('refused', 'cancelled') AND released_at IS NULL)
       OR (status = 'delivered' AND captured_at IS NULL);

CREATE TABLE order_lines (
    order_id         uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position         integer NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('article', 'menu')),
    item_id          uuid NOT NULL,
    name             text NOT NULL,
    quantity         integer NOT NULL CHECK (quantity > 0),
    unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
    total_cents      integer NOT NULL CHECK (total_cents >= 0),
    -- [{id, name, price_delta_cents}] and [{slot_id, slot_name, article_id, name}], as ordered
    options          jsonb NOT NULL DEFAULT '[]',
    choices          jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (order_id, position)
);

-- One rating per order, given once it is delivered.
CREATE TABLE order_ratings (
    order_id         uuid PRIMARY KEY REFERENCES orders (id),
    restaurant_id    uuid NOT NULL REFERENCES restaurants (id),
    courier_id       uuid REFERENCES users (id),
    restaurant_score smallint NOT NULL CHECK (restaurant_score BETWEEN 1 AND 5),
    courier_score    smallint CHECK (courier_score BETWEEN 1 AND 5),
    comment          text,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_ratings_restaurant ON order_ratings (restaurant_id, created_at);
CREATE INDEX order_ratings_courier ON order_ratings (courier_id, created_at) WHERE courier_id IS NOT NULL;

-- Restaurant statistics read these two views (declared empty by the catalogue).
CREATE OR REPLACE VIEW restaurant_order_facts AS
SELECT o.restaurant_id, o.id AS order_id, o.placed_at,
       o.status NOT IN ('refused', 'cancelled') AS counted, o.status = 'refused' AS refused,
       o.items_cents, o.accepted_at, o.ready_at
FROM orders o;

CREATE OR REPLACE VIEW restaurant_order_lines AS
SELECT l.order_id, l.kind, l.item_id, l.name, l.quantity, l.total_cents
FROM order_lines l;
