-- Views split into a recent and a history part (see README, "Recent and history parts").
--
-- The recent part is rebuilt every few minutes from the orders of the last days only, so reading
-- those orders by tenant and time must not scan the whole table.
CREATE INDEX orders_tenant_created_at ON app.orders (tenant_id, created_at);

-- The instant the parts' windows are computed from: now(), unless a test pins it with
-- SET tally.split_clock = '2026-03-10 23:59:59+00' to move the window across midnight.
CREATE FUNCTION tally.split_clock()
    RETURNS timestamptz
    LANGUAGE sql
    STABLE
    PARALLEL SAFE
AS $$
    SELECT coalesce(nullif(current_setting('tally.split_clock', true), '')::timestamptz, now())
$$;

-- The first day of the last recent_days tenant-local days: days before it belong to the history.
CREATE FUNCTION tally.recent_edge(time_zone text, recent_days integer)
    RETURNS date
    LANGUAGE sql
    STABLE
    PARALLEL SAFE
AS $$
    SELECT (tally.split_clock() AT TIME ZONE time_zone)::date - (recent_days - 1)
$$;

GRANT EXECUTE ON FUNCTION tally.split_clock() TO tally_service, tally_reader;
GRANT EXECUTE ON FUNCTION tally.recent_edge(text, integer) TO tally_service, tally_reader;
