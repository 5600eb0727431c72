-- The rows an incremental view holds, kept beside it, so a routine refresh reports its row count
-- from what it changed instead of counting the table (R__customer_activity.sql: counting its
-- bucket counts read a row per bucket, which grows with every tenant's customers). NULL until the
-- view's next full rebuild or first routine refresh counts it.
ALTER TABLE tally.incremental_views ADD COLUMN row_count bigint;
