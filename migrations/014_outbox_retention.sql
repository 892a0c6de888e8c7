-- Retention deletes delivered messages oldest first; this finds them without reading the whole outbox.
CREATE INDEX notification_outbox_delivered
  ON notification_outbox (created_at, id)
  WHERE delivered_at IS NOT NULL;
