-- Bounds for views kept per tenant-local day (R__sales_vs_target.sql): a late write then reopens one
-- day of its tenant's orders, not a month.

-- The instants a tenant-local day can hold, a day wider on each side (a superset whatever the zone
-- does, a DST day of 23 or 25 hours included; callers test the exact day), so a day is read as an
-- index range of its tenant's rows. Definitions clamp instants into PostgreSQL's timestamp range
-- before shifting them, so every earlier instant (-infinity too) falls on the first clamped day and
-- every later one on the last: a bound past a clamp, or outside the range, is infinite.
CREATE FUNCTION tally.local_day_instants(time_zone text, day date,
                                         OUT first_instant timestamptz, OUT last_instant timestamptz)
    LANGUAGE plpgsql
    STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    BEGIN
        first_instant := (day::timestamp AT TIME ZONE time_zone) - interval '1 day';
        IF first_instant < '4714-11-26 00:00:00+00 BC' THEN
            first_instant := '-infinity';
        END IF;
    EXCEPTION WHEN OTHERS THEN
        first_instant := '-infinity';
    END;
    BEGIN
        last_instant := ((day + 1)::timestamp AT TIME ZONE time_zone) + interval '1 day';
        IF last_instant > '294276-12-29 00:00:00+00' THEN
            last_instant := 'infinity';
        END IF;
    EXCEPTION WHEN OTHERS THEN
        last_instant := 'infinity';
    END;
END
$$;

-- The days of a month, [first_day, next_first_day), to read a month's day rows as an index range;
-- a bound outside the date range is infinite, so the first and last months are read whole.
CREATE FUNCTION tally.month_days(year integer, month integer, OUT first_day date, OUT next_first_day date)
    LANGUAGE plpgsql
    IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    BEGIN
        first_day := make_date(year, month, 1);
    EXCEPTION WHEN OTHERS THEN
        first_day := '-infinity';
    END;
    BEGIN
        next_first_day := (make_date(year, month, 1) + interval '1 month')::date;
    EXCEPTION WHEN OTHERS THEN
        next_first_day := 'infinity';
    END;
END
$$;
