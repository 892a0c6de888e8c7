-- Each directional vote is scored once its horizon has passed: did price reach the vote's take-profit before its
-- stop? NULL hit with a scored_at means the vote could not be scored (no candles for its whole horizon).
ALTER TABLE ai_decisions ADD COLUMN scored_at TIMESTAMPTZ;
ALTER TABLE ai_decisions ADD COLUMN hit BOOLEAN;

CREATE INDEX ai_decisions_unscored ON ai_decisions (time)
  WHERE scored_at IS NULL AND purpose = 'entry' AND outcome = 'valid' AND side IS NOT NULL;
