-- Entries the risk manager refused: what was proposed and why it was refused, for the owner and the backtest report.
CREATE TABLE risk_rejections (
  id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time              TIMESTAMPTZ NOT NULL,
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('long', 'short')),
  price             NUMERIC NOT NULL,
  confidence        NUMERIC NOT NULL,
  opportunity_score NUMERIC NOT NULL,
  reasons           JSONB NOT NULL
);

CREATE INDEX risk_rejections_by_time ON risk_rejections (time);
