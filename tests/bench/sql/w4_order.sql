-- pgbench: one order placement's writes (order + 3 lines + 1 outbox row) in a transaction.
-- Run with -M prepared. tests/bench/w4_orders.py sends the same statements through asyncpg.
\set customer random(1, 100000)
\set restaurant random(1, 1000)
\set article random(1, 20000)
BEGIN;
INSERT INTO w4.orders (id, customer_id, restaurant_id, status, subtotal_cents, delivery_fee_cents, service_fee_cents, total_cents, address, payment_ref) VALUES (gen_random_uuid(), md5(:customer::text)::uuid, md5(:restaurant::text)::uuid, 'placed', 2400, 299, 120, 2819, '{"line1": "1 rue de Rivoli", "city": "Paris", "postcode": "75001", "lat": 48.8566, "lng": 2.3522}', 'sbx_' || :customer::text) RETURNING id AS order_id \gset
INSERT INTO w4.order_lines (order_id, line_no, article_id, name, quantity, unit_price_cents, options) VALUES (:order_id, 1, md5(:article::int::text)::uuid, 'Burger maison', 1, 1200, '[{"group": "Cuisson", "name": "A point"}]'), (:order_id, 2, md5((:article::int + 1)::text)::uuid, 'Frites', 2, 350, '[]'), (:order_id, 3, md5((:article::int + 2)::text)::uuid, 'Limonade', 1, 500, '[]');
INSERT INTO w4.outbox (aggregate, aggregate_id, seq, type, data) SELECT 'order', :order_id, coalesce(max(seq), 0) + 1, 'order.placed', '{"status": "placed", "total_cents": 2819}' FROM w4.outbox WHERE aggregate = 'order' AND aggregate_id = :order_id;
COMMIT;
