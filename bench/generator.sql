-- The scale data generator itself, as plain SQL (no psql meta-commands), so the benchmark harness
-- can run it over JDBC too: schema bench, its hash functions and the procedure bench.generate.
-- bench/generate.sql is the psql front end; see there for the variables and the approach.
-- Usage: CALL bench.generate(orders, tenants, seed, zipf, days, end_date, validate) outside a
-- transaction block (it commits after every stage); then VACUUM (ANALYZE) the app tables.
CREATE SCHEMA IF NOT EXISTS bench;
REVOKE ALL ON SCHEMA bench FROM PUBLIC;

-- What was loaded, for the harness to decide whether to load again.
CREATE TABLE IF NOT EXISTS bench.meta (
    orders     bigint      NOT NULL,
    tenants    int         NOT NULL,
    seed       bigint      NOT NULL,
    zipf       float8      NOT NULL,
    days       int         NOT NULL,
    end_date   date        NOT NULL,
    loaded_at  timestamptz NOT NULL,
    seconds    float8      NOT NULL
);

-- A uniform number in [0, 1) from a row key and a stream number: 53 bits of a seeded hash.
CREATE OR REPLACE FUNCTION bench.u(key bigint, stream int, seed bigint) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ((hashint8extended(key, seed * 1000 + stream) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;

-- A product's price, also used to compute order totals without reading products back.
CREATE OR REPLACE FUNCTION bench.price(product_id bigint, seed bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 300 + floor(power(bench.u(product_id, 90, seed), 2) * 60000)::bigint $$;

CREATE OR REPLACE PROCEDURE bench.generate(p_orders bigint, p_tenants int, p_seed bigint, p_zipf float8,
                                           p_days int, p_end date, p_validate boolean)
LANGUAGE plpgsql AS $proc$
DECLARE
    t_all    timestamptz := clock_timestamp();
    t_stage  timestamptz;
    n        bigint;
    ddl      record;
    end_ts   timestamptz := p_end::timestamptz;   -- midnight UTC of end_date
    start_ts timestamptz := p_end::timestamptz - make_interval(days => p_days);
BEGIN
    -- Session settings for a bulk load (whichever client calls this): no waiting for WAL flushes,
    -- memory for index builds and hash joins. Serial plans: on 2 cores gather overhead does not
    -- pay off; index builds still use parallel maintenance workers.
    PERFORM set_config('synchronous_commit', 'off', false);
    PERFORM set_config('maintenance_work_mem', '512MB', false);
    PERFORM set_config('work_mem', '64MB', false);
    PERFORM set_config('max_parallel_workers_per_gather', '0', false);

    -- 0. Empty everything and set the constraints aside.
    t_stage := clock_timestamp();
    TRUNCATE app.job_parts, app.jobs, app.providers, app.usage_records, app.subscriptions, app.plans,
             app.order_lines, app.orders, app.products, app.customers, app.sales_targets, app.tenants,
             tally.refresh_ledger;
    -- Kept until the end, so a load that failed half-way still knows what to put back.
    CREATE TABLE IF NOT EXISTS bench.saved_ddl (step int, table_name text, name text, ddl text);
    -- Foreign keys and primary keys of every app table but tenants, and every other index.
    INSERT INTO bench.saved_ddl
    SELECT CASE c.contype WHEN 'p' THEN 1 ELSE 3 END, c.conrelid::regclass::text, c.conname,
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
    FROM pg_constraint c
    WHERE c.connamespace = 'app'::regnamespace AND c.contype IN ('p', 'f')
      AND c.conrelid <> 'app.tenants'::regclass
      AND NOT EXISTS (SELECT 1 FROM bench.saved_ddl s WHERE s.name = c.conname);
    INSERT INTO bench.saved_ddl
    SELECT 2, i.schemaname || '.' || i.tablename, i.indexname, i.indexdef
    FROM pg_indexes i
    WHERE i.schemaname = 'app' AND i.tablename <> 'tenants'
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (i.schemaname || '.' || i.indexname)::regclass)
      AND NOT EXISTS (SELECT 1 FROM bench.saved_ddl s WHERE s.name = i.indexname);
    FOR ddl IN SELECT * FROM bench.saved_ddl ORDER BY step DESC LOOP
        IF ddl.step = 2 THEN
            EXECUTE format('DROP INDEX IF EXISTS app.%I', ddl.name);
        ELSE
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', ddl.table_name, ddl.name);
        END IF;
    END LOOP;
    RAISE NOTICE 'bench: emptied app, set aside % keys/indexes (%)', (SELECT count(*) FROM bench.saved_ddl),
        clock_timestamp() - t_stage;
    COMMIT;

    -- 1. The tenants and how big each one is: tenant k gets a 1/k^zipf share of everything.
    t_stage := clock_timestamp();
    DROP TABLE IF EXISTS bench.tenant_plan;
    CREATE TABLE bench.tenant_plan AS
    WITH shares AS (
        SELECT k, (1.0 / power(k, p_zipf)) / sum(1.0 / power(k, p_zipf)) OVER () AS share
        FROM generate_series(1, p_tenants) k
    ),
    sized AS (
        SELECT k,
               'bench-' || lpad(k::text, 3, '0')                          AS tenant_id,
               (ARRAY['America/New_York', 'Europe/Oslo', 'Asia/Tokyo', 'America/Los_Angeles', 'UTC',
                      'Europe/London', 'Asia/Kolkata', 'Australia/Sydney', 'America/Sao_Paulo',
                      'Pacific/Auckland'])[1 + (k - 1) % 10]              AS time_zone,
               share,
               greatest(1, round(p_orders * share))::bigint               AS orders,
               greatest(20, round(p_orders * share / 20))::bigint         AS customers,
               (10 + (k * 7) % 41)::bigint                                 AS products,
               (3 + k % 6)::bigint                                         AS plans,
               greatest(8, round(p_orders * share / 50))::bigint          AS subscriptions,
               greatest(3, round(5 + p_orders * share / 20000))::bigint   AS providers,
               greatest(10, round(p_orders * share / 5))::bigint          AS jobs,
               3 + k % 4                                                   AS regions
        FROM shares
    )
    SELECT sized.*,
           (sum(orders) OVER w - orders)::bigint               AS order_off,
           (sum(customers) OVER w - customers)::bigint         AS customer_off,
           (sum(products) OVER w - products)::bigint           AS product_off,
           (sum(plans) OVER w - plans)::bigint                 AS plan_off,
           (sum(subscriptions) OVER w - subscriptions)::bigint AS subscription_off,
           (sum(providers) OVER w - providers)::bigint         AS provider_off,
           (sum(jobs) OVER w - jobs)::bigint                   AS job_off
    FROM sized
    WINDOW w AS (ORDER BY k);
    ALTER TABLE bench.tenant_plan ADD PRIMARY KEY (k);

    INSERT INTO app.tenants (id, name, time_zone, created_at)
    SELECT tenant_id, 'Bench tenant ' || k, time_zone, start_ts - make_interval(days => 30 + k)
    FROM bench.tenant_plan ORDER BY k;
    RAISE NOTICE 'bench: % tenants, biggest % orders, smallest % (%)', p_tenants,
        (SELECT max(orders) FROM bench.tenant_plan), (SELECT min(orders) FROM bench.tenant_plan),
        clock_timestamp() - t_stage;
    COMMIT;

    -- 2. Customers in 3 to 6 regions of skewed sizes; products with hashed prices.
    t_stage := clock_timestamp();
    INSERT INTO app.customers (id, tenant_id, name, region, created_at)
    SELECT t.customer_off + j, t.tenant_id,
           (ARRAY['Ava', 'Ben', 'Chloe', 'Dev', 'Elif', 'Finn', 'Gia', 'Hiro', 'Ines', 'Jon', 'Kai', 'Lena'])
               [1 + floor(bench.u(t.customer_off + j, 1, p_seed) * 12)::int]
             || ' ' || (ARRAY['Smith', 'Berg', 'Tanaka', 'Silva', 'Khan', 'Novak', 'Rossi', 'Dubois'])
               [1 + floor(bench.u(t.customer_off + j, 2, p_seed) * 8)::int] || ' ' || j,
           (ARRAY['north', 'south', 'east', 'west', 'central', 'overseas'])
               [1 + floor(power(bench.u(t.customer_off + j, 3, p_seed), 1.5) * t.regions)::int],
           start_ts + (end_ts - start_ts) * (j::float8 / t.customers) - make_interval(days => 60)
    FROM bench.tenant_plan t
    CROSS JOIN LATERAL generate_series(1, t.customers) j;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO app.products (id, tenant_id, name, price_cents)
    SELECT t.product_off + j, t.tenant_id, 'Product ' || j, bench.price(t.product_off + j, p_seed)
    FROM bench.tenant_plan t
    CROSS JOIN LATERAL generate_series(1, t.products) j;
    RAISE NOTICE 'bench: % customers and % products (%)', n, (SELECT sum(products) FROM bench.tenant_plan),
        clock_timestamp() - t_stage;
    COMMIT;

    -- 3. Orders. Order j of a tenant is placed at fraction v = j/n of the history (plus jitter),
    -- bent towards the end (growth), moved into local business hours (8% online at any hour);
    -- ids grow with time as in a real system. Customers are skewed (some buy often); the newest
    -- 5% of each tenant's customers have not ordered yet.
    -- The total is the sum of the order's own lines, computed with the formulas of step 4.
    t_stage := clock_timestamp();
    INSERT INTO app.orders (id, tenant_id, customer_id, created_at, status, total_cents, is_shipped)
    SELECT o.id, o.tenant_id,
           o.customer_off + 1 + floor(power(bench.u(o.id, 11, p_seed), 2.2) * ceil(o.customers * 0.95))::bigint,
           least(end_ts - interval '1 second',
                 (((start_ts + (end_ts - start_ts - interval '2 days') * (0.35 * o.v + 0.65 * sqrt(o.v))) AT TIME ZONE o.time_zone)::date
                  + CASE WHEN bench.u(o.id, 12, p_seed) < 0.08
                         THEN interval '24 hours' * bench.u(o.id, 13, p_seed)
                         ELSE interval '8 hours' + interval '12 hours' * bench.u(o.id, 13, p_seed)
                    END) AT TIME ZONE o.time_zone),
           CASE WHEN o.r_status < 0.72 THEN 'paid'
                WHEN o.r_status < 0.84 THEN 'failed'
                WHEN o.r_status < 0.92 THEN 'pending'
                ELSE 'refunded' END,
           (SELECT sum((1 + floor(power(bench.u(o.id * 4 + l, 15, p_seed), 3) * 5)::bigint)
                       * bench.price(o.product_off + 1 + floor(power(bench.u(o.id * 4 + l, 14, p_seed), 2) * o.products)::bigint, p_seed))
            FROM generate_series(1, 1 + floor(bench.u(o.id, 10, p_seed) * 3)::int) l),
           o.r_status < 0.72 AND bench.u(o.id, 16, p_seed) < 0.8
    FROM (
        SELECT t.order_off + j AS id, t.tenant_id, t.time_zone, t.customers, t.customer_off, t.products, t.product_off,
               least(1.0, (j - 1 + bench.u(t.order_off + j, 17, p_seed)) / t.orders) AS v,
               bench.u(t.order_off + j, 18, p_seed) AS r_status
        FROM bench.tenant_plan t
        CROSS JOIN LATERAL generate_series(1, t.orders) j
    ) o;
    GET DIAGNOSTICS n = ROW_COUNT;
    RAISE NOTICE 'bench: % orders (%)', n, clock_timestamp() - t_stage;
    COMMIT;

    -- 4. Order lines: 1 to 3 per order (2 on average), products skewed to the first ones.
    t_stage := clock_timestamp();
    INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents)
    SELECT o.tenant_id, o.id, o.product_id, o.quantity, o.quantity * bench.price(o.product_id, p_seed)
    FROM (
        SELECT t.tenant_id, t.order_off + j AS id,
               t.product_off + 1 + floor(power(bench.u((t.order_off + j) * 4 + l, 14, p_seed), 2) * t.products)::bigint AS product_id,
               (1 + floor(power(bench.u((t.order_off + j) * 4 + l, 15, p_seed), 3) * 5))::int AS quantity
        FROM bench.tenant_plan t
        CROSS JOIN LATERAL generate_series(1, t.orders) j
        CROSS JOIN LATERAL generate_series(1, 1 + floor(bench.u(t.order_off + j, 10, p_seed) * 3)::int) l
    ) o;
    GET DIAGNOSTICS n = ROW_COUNT;
    RAISE NOTICE 'bench: % order lines (%)', n, clock_timestamp() - t_stage;
    COMMIT;

    -- 5. Sales targets: every month of the history, about the tenant's expected gross sales, 10% missing.
    t_stage := clock_timestamp();
    INSERT INTO app.sales_targets (tenant_id, year, month, target_cents)
    SELECT t.tenant_id, extract(year FROM m)::int, extract(month FROM m)::int,
           round(t.orders * 2 * 20000.0 / (p_days / 30.4) * (0.6 + 0.8 * bench.u(t.k * 10000 + extract(year FROM m)::int * 12 + extract(month FROM m)::int, 20, p_seed)))::bigint
    FROM bench.tenant_plan t
    CROSS JOIN LATERAL generate_series(date_trunc('month', start_ts AT TIME ZONE 'UTC'),
                                       date_trunc('month', end_ts AT TIME ZONE 'UTC') + interval '1 year',
                                       interval '1 month') m
    WHERE bench.u(t.k * 10000 + extract(year FROM m)::int * 12 + extract(month FROM m)::int, 21, p_seed) >= 0.1;
    GET DIAGNOSTICS n = ROW_COUNT;
    RAISE NOTICE 'bench: % sales targets (%)', n, clock_timestamp() - t_stage;
    COMMIT;

    -- 6. Plans, subscriptions (65% active, 10% trialing, 25% cancelled), usage records (about
    -- 15 per subscription, within its life).
    t_stage := clock_timestamp();
    INSERT INTO app.plans (id, tenant_id, name, monthly_price_cents)
    SELECT t.plan_off + j, t.tenant_id, (ARRAY['Free', 'Starter', 'Team', 'Business', 'Scale', 'Enterprise', 'Custom', 'Legacy'])[j],
           CASE WHEN j = 1 THEN 0 ELSE j * 2900 + floor(bench.u(t.plan_off + j, 30, p_seed) * 1000)::bigint END
    FROM bench.tenant_plan t
    CROSS JOIN LATERAL generate_series(1, t.plans) j;
    INSERT INTO app.subscriptions (id, tenant_id, plan_id, customer_id, status, monthly_price_cents, started_at, cancelled_at)
    SELECT s.id, s.tenant_id, s.plan_id, s.customer_id, s.status,
           CASE WHEN s.plan_no = 1 THEN 0 ELSE s.plan_no * 2900 - floor(bench.u(s.id, 33, p_seed) * 500)::bigint END,
           s.started_at,
           CASE WHEN s.status = 'cancelled'
                THEN s.started_at + (end_ts - s.started_at) * bench.u(s.id, 34, p_seed) END
    FROM (
        SELECT t.subscription_off + j AS id, t.tenant_id,
               1 + floor(power(bench.u(t.subscription_off + j, 31, p_seed), 1.5) * t.plans)::bigint AS plan_no,
               t.plan_off + 1 + floor(power(bench.u(t.subscription_off + j, 31, p_seed), 1.5) * t.plans)::bigint AS plan_id,
               t.customer_off + 1 + floor(bench.u(t.subscription_off + j, 32, p_seed) * t.customers)::bigint AS customer_id,
               CASE WHEN bench.u(t.subscription_off + j, 35, p_seed) < 0.65 THEN 'active'
                    WHEN bench.u(t.subscription_off + j, 35, p_seed) < 0.75 THEN 'trialing'
                    ELSE 'cancelled' END AS status,
               start_ts + (end_ts - start_ts) * bench.u(t.subscription_off + j, 36, p_seed) AS started_at
        FROM bench.tenant_plan t
        CROSS JOIN LATERAL generate_series(1, t.subscriptions) j
    ) s;
    GET DIAGNOSTICS n = ROW_COUNT;
    RAISE NOTICE 'bench: % plans and % subscriptions (%)', (SELECT sum(plans) FROM bench.tenant_plan), n,
        clock_timestamp() - t_stage;
    COMMIT;

    t_stage := clock_timestamp();
    INSERT INTO app.usage_records (tenant_id, subscription_id, recorded_at, api_calls)
    SELECT s.tenant_id, s.id,
           s.started_at + (coalesce(s.cancelled_at, end_ts) - s.started_at) * (r::float8 / (s.records + 1)),
           floor(power(bench.u(s.id * 64 + r, 41, p_seed), 3) * 100000)::bigint
    FROM (SELECT sub.*, 1 + floor(bench.u(sub.id, 40, p_seed) * 29)::int AS records FROM app.subscriptions sub) s
    CROSS JOIN LATERAL generate_series(1, s.records) r;
    GET DIAGNOSTICS n = ROW_COUNT;
    RAISE NOTICE 'bench: % usage records (%)', n, clock_timestamp() - t_stage;
    COMMIT;

    -- 7. Providers, jobs (75% completed; 4% of those never marked started; values sometimes
    -- missing), parts (0 to 4 per job, 2 on average). Known nit: a job created in the history's
    -- last days may complete up to a day and a half after end_date (29 of 2M jobs at 10M orders).
    t_stage := clock_timestamp();
    INSERT INTO app.providers (id, tenant_id, name)
    SELECT t.provider_off + j, t.tenant_id, 'Provider ' || j
    FROM bench.tenant_plan t
    CROSS JOIN LATERAL generate_series(1, t.providers) j;
    INSERT INTO app.jobs (id, tenant_id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at)
    SELECT j.id, j.tenant_id, j.provider_id, j.status,
           CASE WHEN bench.u(j.id, 52, p_seed) >= 0.05 THEN j.estimated END,
           CASE WHEN j.status = 'completed' AND bench.u(j.id, 53, p_seed) >= 0.03
                THEN round((j.estimated * (0.8 + 0.7 * bench.u(j.id, 54, p_seed)))::numeric, 2) END,
           j.created_at,
           CASE WHEN j.status = 'in_progress' OR (j.status = 'completed' AND bench.u(j.id, 55, p_seed) >= 0.04)
                THEN j.started_at END,
           CASE WHEN j.status = 'completed' THEN j.started_at + j.duration END
    FROM (
        SELECT x.*, x.created_at + interval '72 hours' * bench.u(x.id, 56, p_seed) AS started_at,
               interval '1 hour' * (0.5 + 60 * power(bench.u(x.id, 57, p_seed), 3)) AS duration,
               CASE WHEN x.created_at > end_ts - interval '7 days' AND x.r_status < 0.5 THEN
                        CASE WHEN x.r_status < 0.25 THEN 'open' ELSE 'in_progress' END
                    WHEN x.r_status < 0.75 THEN 'completed'
                    WHEN x.r_status < 0.83 THEN 'open'
                    WHEN x.r_status < 0.91 THEN 'in_progress'
                    ELSE 'cancelled' END AS status
        FROM (
            SELECT t.job_off + g AS id, t.tenant_id,
                   t.provider_off + 1 + floor(power(bench.u(t.job_off + g, 50, p_seed), 1.7) * t.providers)::bigint AS provider_id,
                   start_ts + (end_ts - start_ts - interval '4 days') * ((g - 1 + bench.u(t.job_off + g, 51, p_seed)) / t.jobs) AS created_at,
                   round((100 + 4900 * power(bench.u(t.job_off + g, 58, p_seed), 2))::numeric, 2) AS estimated,
                   bench.u(t.job_off + g, 59, p_seed) AS r_status
            FROM bench.tenant_plan t
            CROSS JOIN LATERAL generate_series(1, t.jobs) g
        ) x
    ) j;
    GET DIAGNOSTICS n = ROW_COUNT;
    RAISE NOTICE 'bench: % providers and % jobs (%)', (SELECT sum(providers) FROM bench.tenant_plan), n,
        clock_timestamp() - t_stage;
    COMMIT;

    t_stage := clock_timestamp();
    INSERT INTO app.job_parts (tenant_id, job_id, total_cost)
    SELECT t.tenant_id, t.job_off + g,
           round((5 + 495 * power(bench.u((t.job_off + g) * 8 + p, 61, p_seed), 2))::numeric, 2)
    FROM bench.tenant_plan t
    CROSS JOIN LATERAL generate_series(1, t.jobs) g
    CROSS JOIN LATERAL generate_series(1, floor(bench.u(t.job_off + g, 60, p_seed) * 5)::int) p;
    GET DIAGNOSTICS n = ROW_COUNT;
    RAISE NOTICE 'bench: % job parts (%)', n, clock_timestamp() - t_stage;
    COMMIT;

    -- 8. Identity sequences continue after the computed ids, so the application can insert.
    PERFORM setval(pg_get_serial_sequence('app.' || tbl, 'id'), greatest(1, (xpath('/row/m/text()',
                   query_to_xml(format('SELECT max(id) AS m FROM app.%I', tbl), false, true, '')))[1]::text::bigint))
    FROM unnest(ARRAY['customers', 'products', 'orders', 'order_lines', 'plans', 'subscriptions',
                      'usage_records', 'providers', 'jobs', 'job_parts']) tbl;

    -- 9. Keys and indexes back, then the foreign keys (validated unless told not to).
    FOR ddl IN SELECT * FROM bench.saved_ddl ORDER BY step, table_name, name LOOP
        t_stage := clock_timestamp();
        IF ddl.step = 3 AND NOT p_validate THEN
            EXECUTE ddl.ddl || ' NOT VALID';
        ELSE
            EXECUTE ddl.ddl;
        END IF;
        RAISE NOTICE 'bench: % (%)', ddl.name, clock_timestamp() - t_stage;
        COMMIT;
    END LOOP;
    DROP TABLE bench.saved_ddl;

    DELETE FROM bench.meta;
    INSERT INTO bench.meta VALUES (p_orders, p_tenants, p_seed, p_zipf, p_days, p_end, now(),
                                   extract(epoch FROM clock_timestamp() - t_all));
    RAISE NOTICE 'bench: loaded in % (VACUUM ANALYZE follows)', clock_timestamp() - t_all;
END
$proc$;

