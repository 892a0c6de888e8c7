-- One row per finished trial of a parameter sweep (a walk-forward grid): which window and setting it replayed, what
-- it gave, and which worker ran it. A sweep that restarts reads this table and queues only the trials missing here.
CREATE TABLE sweep_trials (
  sweep_id    TEXT NOT NULL,
  trial_id    TEXT NOT NULL,
  spec        JSONB NOT NULL,
  result      JSONB NOT NULL,
  worker      TEXT NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (sweep_id, trial_id)
);
