-- What the view's source tables looked like when it was refreshed, so a later refresh can be
-- skipped when nothing they hold has changed. Null when it could not be told (then never skipped).
ALTER TABLE tally.refresh_ledger ADD COLUMN source_fingerprint text;
