-- Restaurants, their articles and menus, and uploaded photos.
-- Rows are soft-deleted (deleted_at) so that orders keep pointing at what they bought;
-- orders snapshot names and prices, so editing a row here never changes a past order.

-- Pictures processed from an upload; the files live in the data folder as
-- <id>-thumb.webp and <id>-large.webp, never in the database.
CREATE TABLE photos (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    restaurant_id uuid NOT NULL,
    uploaded_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    width         integer NOT NULL CHECK (width > 0),
    height        integer NOT NULL CHECK (height > 0),
    bytes         integer NOT NULL CHECK (bytes > 0),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE restaurants (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id          uuid NOT NULL REFERENCES users (id),
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description       text NOT NULL DEFAULT '',
    cuisines          text[] NOT NULL DEFAULT '{}',
    address           text NOT NULL DEFAULT '',
    lat               double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lng               double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
    -- {"days": [[{"open": "HH:MM", "close": "HH:MM"}, ...] x 7]}, Monday first, local time
    hours             jsonb NOT NULL,
    closures          date[] NOT NULL DEFAULT '{}',
    timezone          text NOT NULL DEFAULT 'Europe/Paris',
    delivery_radius_m integer NOT NULL CHECK (delivery_radius_m BETWEEN 100 AND 30000),
    avg_prep_minutes  integer NOT NULL CHECK (avg_prep_minutes BETWEEN 1 AND 240),
    is_open           boolean NOT NULL DEFAULT true,
    photo_id          uuid REFERENCES photos (id) ON DELETE SET NULL,
    -- accent-free words of name, cuisines and description, written by the application
    -- (the embedded Postgres has no unaccent or pg_trgm, so the 'simple' config is used)
    search            tsvector NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    deleted_at        timestamptz
);
-- Nearby search: a 2-D GiST index on the position answers the bounding-box pre-filter
-- without reading restaurants outside the box; the exact distance is computed after.
CREATE INDEX restaurants_position ON restaurants USING gist (point(lng, lat))
    WHERE deleted_at IS NULL;
-- max(delivery_radius_m) from this index bounds how far a nearby search must look.
CREATE INDEX restaurants_radius ON restaurants (delivery_radius_m) WHERE deleted_at IS NULL;
CREATE INDEX restaurants_owner ON restaurants (owner_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX restaurants_search ON restaurants USING gin (search) WHERE deleted_at IS NULL;
CREATE INDEX restaurants_cuisines ON restaurants USING gin (cuisines) WHERE deleted_at IS NULL;

ALTER TABLE photos ADD FOREIGN KEY (restaurant_id) REFERENCES restaurants (id);
CREATE INDEX photos_restaurant ON photos (restaurant_id);

CREATE TABLE articles (
    id            uuid PRIMARY KEY,
    restaurant_id uuid NOT NULL REFERENCES restaurants (id),
    category      text NOT NULL,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description   text NOT NULL DEFAULT '',
    price_cents   integer NOT NULL CHECK (price_cents >= 0),
    allergens     text[] NOT NULL DEFAULT '{}',
    -- [{id, name, min_choices, max_choices, options: [{id, name, price_delta_cents, available}]}]
    option_groups jsonb NOT NULL DEFAULT '[]',
    available     boolean NOT NULL DEFAULT true,
    photo_id      uuid REFERENCES photos (id) ON DELETE SET NULL,
    position      integer NOT NULL DEFAULT 0,
    search        tsvector NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz
);
CREATE INDEX articles_restaurant ON articles (restaurant_id, position, id) WHERE deleted_at IS NULL;
CREATE INDEX articles_search ON articles USING gin (search) WHERE deleted_at IS NULL;

CREATE TABLE menus (
    id            uuid PRIMARY KEY,
    restaurant_id uuid NOT NULL REFERENCES restaurants (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description   text NOT NULL DEFAULT '',
    price_cents   integer NOT NULL CHECK (price_cents >= 0),
    -- [{id, name, min_choices, max_choices, article_ids: [uuid, ...]}]
    slots         jsonb NOT NULL,
    available     boolean NOT NULL DEFAULT true,
    position      integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz
);
CREATE INDEX menus_restaurant ON menus (restaurant_id, position, id) WHERE deleted_at IS NULL;

-- What restaurant statistics read. Empty until orders exist: the orders migration
-- replaces both views (CREATE OR REPLACE VIEW, same columns) with SELECTs over orders.
-- One row per order placed at the restaurant: items_cents is the restaurant's share,
-- counted is false for orders refused or cancelled (no revenue), refused says which.
CREATE VIEW restaurant_order_facts AS
SELECT NULL::uuid AS restaurant_id, NULL::uuid AS order_id, NULL::timestamptz AS placed_at,
       NULL::boolean AS counted, NULL::boolean AS refused, NULL::integer AS items_cents,
       NULL::timestamptz AS accepted_at, NULL::timestamptz AS ready_at
WHERE false;
-- One row per line of those orders as snapshotted when ordered (kind: article or menu).
CREATE VIEW restaurant_order_lines AS
SELECT NULL::uuid AS order_id, NULL::text AS kind, NULL::uuid AS item_id, NULL::text AS name,
       NULL::integer AS quantity, NULL::integer AS total_cents
WHERE false;
