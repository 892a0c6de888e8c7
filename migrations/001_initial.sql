-- The trading record. Amounts are NUMERIC (exact decimals), times are TIMESTAMPTZ (instants, UTC on the wire).
-- Applied once by the migration runner; later changes go in new numbered files, never in this one.

-- Small named documents of engine state (breaker state, schedule marks).
CREATE TABLE trading_state (
  key        TEXT PRIMARY KEY,
  value      JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE positions (
  id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  symbol             TEXT NOT NULL,
  side               TEXT NOT NULL CHECK (side IN ('long', 'short')),
  status             TEXT NOT NULL CHECK (status IN ('opening', 'open', 'closing', 'closed', 'failed')),
  leverage           NUMERIC NOT NULL,
  quantity           NUMERIC NOT NULL,
  entry_price        NUMERIC NOT NULL,
  margin             NUMERIC NOT NULL,
  stop_price         NUMERIC NOT NULL,
  stop_loss_pct      NUMERIC NOT NULL,
  liquidation_price  NUMERIC NOT NULL,
  take_profit_price  NUMERIC,
  entry_fee          NUMERIC NOT NULL,
  funding            NUMERIC NOT NULL,
  opened_at          TIMESTAMPTZ NOT NULL,
  rationale          JSONB NOT NULL,
  stop_order_id      TEXT,
  best_price         NUMERIC,
  last_update_at     TIMESTAMPTZ,
  last_exit_check_at TIMESTAMPTZ,
  closed_at          TIMESTAMPTZ,
  close_reason       TEXT
);

-- One live position per symbol is a rule of the risk policy; the database enforces it so no race can break it.
CREATE UNIQUE INDEX positions_one_active_per_symbol
  ON positions (symbol)
  WHERE status IN ('opening', 'open', 'closing');

CREATE TABLE orders (
  client_order_id   TEXT PRIMARY KEY,
  position_id       BIGINT NOT NULL REFERENCES positions (id),
  symbol            TEXT NOT NULL,
  purpose           TEXT NOT NULL CHECK (purpose IN ('entry', 'stop', 'close')),
  side              TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  type              TEXT NOT NULL CHECK (type IN ('market', 'stop_market')),
  quantity          NUMERIC NOT NULL,
  trigger_price     NUMERIC,
  status            TEXT NOT NULL CHECK (status IN ('intent', 'sent', 'open', 'filled', 'cancelled', 'rejected', 'unknown')),
  exchange_order_id TEXT,
  filled_quantity   NUMERIC,
  average_price     NUMERIC,
  fee               NUMERIC,
  error             TEXT,
  created_at        TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL
);

CREATE INDEX orders_by_position ON orders (position_id, created_at);

-- A closed position with its money settled; one per position.
CREATE TABLE trades (
  position_id       BIGINT PRIMARY KEY REFERENCES positions (id),
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('long', 'short')),
  leverage          NUMERIC NOT NULL,
  quantity          NUMERIC NOT NULL,
  entry_price       NUMERIC NOT NULL,
  exit_price        NUMERIC NOT NULL,
  margin            NUMERIC NOT NULL,
  stop_price        NUMERIC NOT NULL,
  liquidation_price NUMERIC NOT NULL,
  entry_fee         NUMERIC NOT NULL,
  exit_fee          NUMERIC NOT NULL,
  funding           NUMERIC NOT NULL,
  gross_pnl         NUMERIC NOT NULL,
  net_pnl           NUMERIC NOT NULL,
  pnl_pct           NUMERIC NOT NULL,
  reason            TEXT NOT NULL,
  opened_at         TIMESTAMPTZ NOT NULL,
  closed_at         TIMESTAMPTZ NOT NULL,
  rationale         JSONB NOT NULL
);

CREATE INDEX trades_by_closed_at ON trades (closed_at);

CREATE TABLE trade_fills (
  position_id     BIGINT NOT NULL REFERENCES trades (position_id),
  -- Position of the fill in the trade's list, so fills read back in the order they were given.
  seq             INTEGER NOT NULL,
  fill_id         TEXT NOT NULL,
  order_id        TEXT NOT NULL,
  client_order_id TEXT,
  symbol          TEXT NOT NULL,
  side            TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  price           NUMERIC NOT NULL,
  quantity        NUMERIC NOT NULL,
  fee             NUMERIC NOT NULL,
  time            TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (position_id, seq)
);

-- Every analyst answer (valid, rejected or failed) with what it cost, so votes can be scored and spend capped.
CREATE TABLE ai_decisions (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time            TIMESTAMPTZ NOT NULL,
  symbol          TEXT NOT NULL,
  analyst         TEXT NOT NULL,
  purpose         TEXT NOT NULL CHECK (purpose IN ('entry', 'exit')),
  outcome         TEXT NOT NULL CHECK (outcome IN ('valid', 'rejected', 'failed')),
  action          TEXT NOT NULL,
  confidence      NUMERIC NOT NULL,
  side            TEXT CHECK (side IN ('long', 'short')),
  leverage        NUMERIC,
  stop_loss_pct   NUMERIC,
  take_profit_pct NUMERIC,
  risk_reward     NUMERIC,
  reasoning       TEXT NOT NULL,
  reason          TEXT,
  model           TEXT NOT NULL,
  latency_ms      NUMERIC NOT NULL,
  input_tokens    NUMERIC NOT NULL,
  output_tokens   NUMERIC NOT NULL,
  cost_usd        NUMERIC NOT NULL,
  prompt_hash     TEXT NOT NULL,
  cached          BOOLEAN NOT NULL,
  raw             TEXT,
  price           NUMERIC NOT NULL,
  position_id     BIGINT REFERENCES positions (id)
);

CREATE INDEX ai_decisions_by_time ON ai_decisions (time);

CREATE TABLE breaker_events (
  id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time    TIMESTAMPTZ NOT NULL,
  breaker TEXT NOT NULL,
  action  TEXT NOT NULL CHECK (action IN ('tripped', 'cleared')),
  detail  TEXT NOT NULL
);

CREATE INDEX breaker_events_by_time ON breaker_events (time);

CREATE TABLE daily_performance (
  day           DATE PRIMARY KEY,
  start_capital NUMERIC NOT NULL,
  end_capital   NUMERIC NOT NULL,
  trades        INTEGER NOT NULL DEFAULT 0,
  wins          INTEGER NOT NULL DEFAULT 0,
  losses        INTEGER NOT NULL DEFAULT 0,
  net_pnl       NUMERIC NOT NULL DEFAULT 0,
  fees          NUMERIC NOT NULL DEFAULT 0,
  funding       NUMERIC NOT NULL DEFAULT 0
);

CREATE TABLE system_logs (
  id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  time    TIMESTAMPTZ NOT NULL,
  level   TEXT NOT NULL,
  module  TEXT,
  message TEXT NOT NULL,
  context JSONB
);

CREATE INDEX system_logs_by_time ON system_logs (time);

-- Messages to the owner are written here first and delivered by a worker, so an outage of the messenger loses nothing.
CREATE TABLE notification_outbox (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at      TIMESTAMPTZ NOT NULL,
  event_type      TEXT NOT NULL,
  text            TEXT NOT NULL,
  payload         JSONB NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  delivered_at    TIMESTAMPTZ,
  last_error      TEXT
);

CREATE INDEX notification_outbox_undelivered
  ON notification_outbox (created_at, id)
  WHERE delivered_at IS NULL;

-- The simulated account of paper trading: exactly one row.
CREATE TABLE paper_account (
  id         BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
  balance    NUMERIC NOT NULL,
  state      JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
