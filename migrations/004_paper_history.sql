-- The paper account's history (fills, funding payments, finished orders), one row per entry written once, instead
-- of inside the state document that is rewritten after every change and grew with the history.
CREATE TABLE paper_history (
  seq   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind  TEXT NOT NULL CHECK (kind IN ('fill', 'funding', 'order')),
  entry JSONB NOT NULL
);
