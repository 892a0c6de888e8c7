-- The most notional an entry's size was checked for: its quantity at the top of the range of fills the risk manager
-- sized it for. A restart that finishes an interrupted entry holds the fill to it, as the plan itself is gone by then.
ALTER TABLE orders ADD COLUMN checked_notional NUMERIC;
