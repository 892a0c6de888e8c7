-- Retention deletes old analyst answers. What the deleted entry votes added to each analyst's track record is carried
-- here, so the all-time record that Kelly sizing and /models read does not shrink as the rows go.
CREATE TABLE model_record_carry (
  analyst          TEXT PRIMARY KEY,
  votes            BIGINT NOT NULL,
  scored           BIGINT NOT NULL,
  hits             BIGINT NOT NULL,
  -- Sums of the confidence of the votes that were right and wrong, for the means over all the votes ever scored.
  right_confidence NUMERIC NOT NULL,
  wrong_confidence NUMERIC NOT NULL
);

-- Retention keeps the entry votes around each position's opening; this finds a symbol's openings without a scan.
CREATE INDEX positions_by_symbol_opened ON positions (symbol, opened_at);
