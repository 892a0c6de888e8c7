-- A position's stop can be replaced (a trailing move, a re-arm after a partial take-profit): the new stop rests under
-- a versioned client id (`…-stop.2`) and is verified before the old one is cancelled. The position remembers which
-- stop protects it now, so a restart between those steps finds the current one. NULL: the first stop (`…-stop`).
ALTER TABLE positions ADD COLUMN stop_client_order_id TEXT;
