-- A reduce-only take-profit order rests on the venue with the stop (client id suffix `-tp`), triggered on the mark
-- price: its record says so.
ALTER TABLE orders DROP CONSTRAINT orders_purpose_check;
ALTER TABLE orders ADD CONSTRAINT orders_purpose_check CHECK (purpose IN ('entry', 'stop', 'close', 'tp'));
ALTER TABLE orders DROP CONSTRAINT orders_type_check;
ALTER TABLE orders ADD CONSTRAINT orders_type_check CHECK (type IN ('market', 'stop_market', 'limit', 'take_profit_market'));
