-- Entries go out as immediate-or-cancel limit orders capped at the worst price the risk manager sized for: the
-- record says so, with the limit it carried.
ALTER TABLE orders DROP CONSTRAINT orders_type_check;
ALTER TABLE orders ADD CONSTRAINT orders_type_check CHECK (type IN ('market', 'stop_market', 'limit'));
ALTER TABLE orders ADD COLUMN limit_price NUMERIC;
