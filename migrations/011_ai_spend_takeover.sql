-- A shadow strategy may pay for an AI call before the main account needs the same answer. The main account then
-- pays for it (its row carries the cost) and names the shadow, whose spend is its own calls less what was taken over.
-- NULL: an answer this account asked for itself.
ALTER TABLE ai_decisions ADD COLUMN taken_over_from TEXT;
