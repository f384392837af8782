-- Deliveries: one per accepted order, from the offer cascade to the customer's door.
-- seq is the delivery's event counter: it equals the seq of its latest event in outbox.
CREATE TABLE deliveries (
    id                 uuid PRIMARY KEY,
    order_id           uuid NOT NULL UNIQUE REFERENCES orders (id),
    restaurant_id      uuid NOT NULL REFERENCES restaurants (id),
    status             text NOT NULL CHECK (status IN ('searching', 'assigned', 'picked_up',
                       'delivered', 'failed', 'cancelled')),
    seq                integer NOT NULL CHECK (seq > 0),
    courier_id         uuid REFERENCES users (id),
    -- the one courier who may claim it now, until offer_expires_at
    offered_to         uuid REFERENCES users (id),
    offer_expires_at   timestamptz,
    -- couriers who declined or let an offer expire: not asked again for this delivery
    declined           uuid[] NOT NULL DEFAULT '{}',
    search_round       integer NOT NULL DEFAULT 0,
    -- when the dispatcher must look at it again (offer expiry, or a retry after finding nobody)
    next_try_at        timestamptz,
    staff_alerted_at   timestamptz,
    pickup_lat         double precision NOT NULL CHECK (pickup_lat BETWEEN -90 AND 90),
    pickup_lng         double precision NOT NULL CHECK (pickup_lng BETWEEN -180 AND 180),
    -- personal: blanked when the customer's account is erased
    dropoff_lat        double precision CHECK (dropoff_lat BETWEEN -90 AND 90),
    dropoff_lng        double precision CHECK (dropoff_lng BETWEEN -180 AND 180),
    distance_m         integer NOT NULL CHECK (distance_m >= 0),
    pay_cents          integer NOT NULL CHECK (pay_cents >= 0),
    batched            boolean NOT NULL DEFAULT false,
    -- codes are derived from code_nonce and the server's secret; only their peppered hashes
    -- are kept, with the wrong tries against each
    code_nonce         bytea NOT NULL,
    pickup_code_hash   text NOT NULL,
    delivery_code_hash text NOT NULL,
    pickup_failures    smallint NOT NULL DEFAULT 0,
    delivery_failures  smallint NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    assigned_at        timestamptz,
    picked_up_at       timestamptz,
    delivered_at       timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
-- The offer timer reads only deliveries still looking for a courier.
CREATE INDEX deliveries_due ON deliveries (next_try_at) WHERE status = 'searching';
CREATE INDEX deliveries_offered ON deliveries (offered_to) WHERE status = 'searching';
-- A courier's deliveries, newest first; the ones in hand.
CREATE INDEX deliveries_courier ON deliveries (courier_id, created_at DESC, id DESC)
    WHERE courier_id IS NOT NULL;
CREATE INDEX deliveries_restaurant_open ON deliveries (restaurant_id) WHERE status = 'assigned';

-- Courier GPS tracks, appended in batches (COPY) and deleted after the retention period.
-- No foreign key: the batches must stay cheap, and erasure deletes a courier's rows.
CREATE TABLE courier_fixes (
    courier_id  uuid NOT NULL,
    at          timestamptz NOT NULL,
    lat         double precision NOT NULL,
    lng         double precision NOT NULL,
    heading     real,
    speed       real,
    accuracy    real,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX courier_fixes_courier ON courier_fixes (courier_id, at);
-- Rows arrive in time order: a BRIN index finds the old ones for a fraction of a B-tree's size.
CREATE INDEX courier_fixes_received ON courier_fixes USING brin (received_at);
