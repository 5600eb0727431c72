-- Demo data for the report pack (docs/reports.md): three tenants in three time zones with about a year
-- of history ending at now(), so the default 90-day range and the current and previous calendar
-- year always have data.
--
-- Run it in one transaction on an empty app schema, after the migrations. It is plain SQL with no
-- dollar quoting, so any JDBC script runner can split it, and it uses no temporary tables.
-- Every child row is derived from its parent rows already in the tables, so ids are left to
-- their identity columns and looked up per tenant. Values come from random() after setseed, so
-- a load is reproducible relative to now(): identical for the same now() on an empty schema.
-- random() is drawn only in MATERIALIZED CTEs: a subquery in FROM may be flattened into the outer
-- query, which would draw a value again wherever it is used.

-- Refuse to load twice: a second load would mix two generations of demo rows in every report.
-- The lock makes a concurrent second loader wait, then fail here instead of on a key conflict.
DO '
BEGIN
    LOCK TABLE app.tenants IN SHARE ROW EXCLUSIVE MODE;
    IF EXISTS (SELECT 1 FROM app.tenants) THEN
        RAISE EXCEPTION ''demo data not loaded: app.tenants is not empty''
            USING HINT = ''The demo loads only into an empty app schema, and it is loaded already or the database holds real tenants.'';
    END IF;
END';

SELECT setseed(0.42);

INSERT INTO app.tenants (id, name, time_zone, created_at) VALUES
    ('acme-plumbing', 'Acme Plumbing', 'America/New_York', now() - interval '3 years 2 months'),
    ('fjord-fitness', 'Fjord Fitness', 'Europe/Oslo',      now() - interval '2 years 5 months'),
    ('sakura-saas',   'Sakura SaaS',   'Asia/Tokyo',       now() - interval '1 year 9 months');

-- Regions are weighted by repetition, so each tenant has its own mix of region sizes.
-- The last four customers of a tenant (by id) are kept out of the order generator below: one gets
-- a single order, three are recent sign-ups with none, so customerActivity shows its null cases.
INSERT INTO app.customers (tenant_id, name, region, created_at)
WITH params (tenant_id, customers, regions, first_parts, second_parts) AS (VALUES
    ('acme-plumbing', 140,
     ARRAY['north', 'north', 'north', 'north', 'south', 'south', 'south', 'east', 'east', 'west'],
     ARRAY['James', 'Mary', 'Robert', 'Patricia', 'Michael', 'Linda', 'David', 'Susan', 'Carlos',
           'Aisha', 'Kevin', 'Megan', 'Tom', 'Grace', 'Luis', 'Hannah'],
     ARRAY['Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Miller', 'Davis', 'Rodriguez',
           'Martinez', 'Wilson', 'Anderson', 'Taylor', 'Moore', 'Clark', 'Lewis', 'Walker']),
    ('fjord-fitness', 90,
     ARRAY['north', 'south', 'south', 'east', 'east', 'east', 'east', 'west', 'west', 'west'],
     ARRAY['Ingrid', 'Lars', 'Sofie', 'Magnus', 'Nora', 'Henrik', 'Emma', 'Ole', 'Sara', 'Jonas',
           'Thea', 'Anders', 'Ida', 'Eirik'],
     ARRAY['Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen',
           'Jensen', 'Karlsen', 'Haugen', 'Berg', 'Dahl', 'Lunde']),
    ('sakura-saas', 160,
     ARRAY['north', 'south', 'south', 'east', 'east', 'east', 'east', 'east', 'west', 'west'],
     ARRAY['Tanaka', 'Suzuki', 'Takahashi', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi',
           'Kato', 'Yoshida', 'Yamada', 'Sasaki', 'Matsumoto', 'Inoue', 'Kimura', 'Hayashi'],
     ARRAY['K.K.', 'Labs', 'Trading', 'Systems', 'Foods', 'Logistics', 'Design', 'Medical',
           'Robotics', 'Holdings'])
),
drawn AS MATERIALIZED (
    SELECT p.*, t.created_at AS tenant_created_at, g.n,
           random() AS r_first, random() AS r_second, random() AS r_region, random() AS r_created
    FROM params p
    JOIN app.tenants t ON t.id = p.tenant_id
    CROSS JOIN LATERAL generate_series(1, p.customers) AS g (n)
    ORDER BY p.tenant_id, g.n
)
SELECT d.tenant_id,
       d.first_parts[1 + floor(d.r_first * cardinality(d.first_parts))::int] || ' '
           || d.second_parts[1 + floor(d.r_second * cardinality(d.second_parts))::int],
       d.regions[1 + floor(d.r_region * cardinality(d.regions))::int],
       CASE WHEN d.n > d.customers - 3
            THEN now() - interval '30 days' * d.r_created
            ELSE d.tenant_created_at + (now() - interval '366 days' - d.tenant_created_at) * d.r_created
       END
FROM drawn d
ORDER BY d.tenant_id, d.n;

-- Listed from most to least often sold: order lines pick products skewed towards the top.
INSERT INTO app.products (tenant_id, name, price_cents) VALUES
    ('acme-plumbing', 'Leak inspection',               7900),
    ('acme-plumbing', 'Pipe fitting kit',              3450),
    ('acme-plumbing', 'Drain cleaning',               18900),
    ('acme-plumbing', 'Faucet replacement',           12500),
    ('acme-plumbing', 'Emergency call-out',           14900),
    ('acme-plumbing', 'Water heater flush',            9900),
    ('acme-plumbing', 'Toilet repair',                11000),
    ('acme-plumbing', 'Sump pump',                    34900),
    ('acme-plumbing', 'Tankless water heater install', 189900),
    ('fjord-fitness', 'Day pass',                     15000),
    ('fjord-fitness', 'Protein shake',                 4900),
    ('fjord-fitness', 'Towel rental',                  2500),
    ('fjord-fitness', '10-visit card',               120000),
    ('fjord-fitness', 'Personal training session',    79000),
    ('fjord-fitness', 'Massage 30 min',               59000),
    ('fjord-fitness', 'Locker rental (month)',         9900),
    ('fjord-fitness', 'Yoga mat',                     39900),
    ('sakura-saas',   'Extra seat (month)',            1500),
    ('sakura-saas',   'API credits 100k',              4900),
    ('sakura-saas',   'Data export',                   9900),
    ('sakura-saas',   'Priority support (month)',     19900),
    ('sakura-saas',   'SSO add-on',                   29900),
    ('sakura-saas',   'Custom report',                75000),
    ('sakura-saas',   'Onboarding workshop',         250000);

-- Orders per tenant-local day: more on weekdays, a seasonal peak, growth over the year. Most are
-- placed in local business hours, a few online at any hour, so evening orders in New York and
-- early ones in Tokyo fall on another UTC date. Totals are filled in from the lines below.
-- The history reaches back at least to 1 December of last year, so that year has data even late
-- in December.
INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents, is_shipped)
WITH params (tenant_id, per_weekday, saturday, sunday, open_hour, close_hour, peak_day) AS (VALUES
    ('acme-plumbing', 12.0, 0.40, 0.15, 7, 21,  20),
    ('fjord-fitness',  8.0, 0.70, 0.50, 6, 22,  10),
    ('sakura-saas',   14.0, 0.20, 0.10, 8, 20,  80)
),
ordering_customers AS (
    SELECT tenant_id, id,
           row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn,
           count(*) OVER (PARTITION BY tenant_id) - 4 AS ordering
    FROM app.customers
),
calendar AS MATERIALIZED (
    SELECT p.*, t.time_zone, today - age AS day, age, span, n.ordering, random() AS r_volume
    FROM params p
    JOIN app.tenants t ON t.id = p.tenant_id
    JOIN (SELECT DISTINCT tenant_id, ordering FROM ordering_customers) n ON n.tenant_id = p.tenant_id
    CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE t.time_zone)::date AS today) AS local
    CROSS JOIN LATERAL (SELECT greatest(364, today - make_date(extract(year FROM today)::int - 1, 12, 1)) AS span) AS s
    CROSS JOIN LATERAL generate_series(0, span) AS age
),
daily AS (
    SELECT c.*,
           floor(c.per_weekday
                 * CASE extract(isodow FROM c.day) WHEN 6 THEN c.saturday WHEN 7 THEN c.sunday ELSE 1 END
                 * (0.8 + 0.35 * (1 - c.age::float8 / c.span))
                 * (1 + 0.2 * cos(2 * pi() * (extract(doy FROM c.day) - c.peak_day) / 365.25))
                 * (0.7 + 0.6 * c.r_volume)
                 + 0.5)::int AS orders
    FROM calendar c
),
planned AS MATERIALIZED (
    SELECT d.tenant_id, d.time_zone, d.day, d.age, d.open_hour, d.close_hour, d.ordering,
           random() AS r_online, random() AS r_time, random() AS r_status, random() AS r_customer,
           random() AS r_shipped
    FROM daily d
    CROSS JOIN LATERAL generate_series(1, d.orders)
    ORDER BY d.tenant_id, d.day
),
timed AS (
    SELECT p.*,
           (p.day + CASE WHEN p.r_online < 0.08
                         THEN interval '24 hours' * p.r_time
                         ELSE interval '1 hour' * (p.open_hour + (p.close_hour - p.open_hour) * p.r_time)
                    END) AT TIME ZONE p.time_zone AS created_at,
           CASE WHEN p.r_status < 0.07 THEN 'failed'
                WHEN p.r_status < 0.12 THEN 'refunded'
                WHEN p.r_status < 0.12 + CASE WHEN p.age <= 7 THEN 0.25 ELSE 0.01 END THEN 'pending'
                ELSE 'paid'
           END AS status,
           1 + floor(power(p.r_customer, 1.7) * p.ordering)::int AS customer_rn
    FROM planned p
)
SELECT o.tenant_id,
       c.id,
       o.created_at,
       o.status,
       0,
       CASE o.status
           WHEN 'paid'     THEN o.age >= 2 AND o.r_shipped < 0.92
           WHEN 'refunded' THEN o.r_shipped < 0.5
           ELSE false
       END
FROM timed o
JOIN ordering_customers c ON c.tenant_id = o.tenant_id AND c.rn = o.customer_rn
WHERE o.created_at <= now()
ORDER BY o.tenant_id, o.created_at;

-- The one customer with a single paid order (avgDaysBetweenOrders stays null for it).
INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents, is_shipped)
SELECT c.tenant_id,
       c.id,
       ((now() AT TIME ZONE t.time_zone)::date - 40 + time '10:30') AT TIME ZONE t.time_zone,
       'paid',
       0,
       true
FROM (
    SELECT tenant_id, id,
           row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn,
           count(*) OVER (PARTITION BY tenant_id) AS customers
    FROM app.customers
) c
JOIN app.tenants t ON t.id = c.tenant_id
WHERE c.rn = c.customers - 3
ORDER BY c.tenant_id;

-- 1 to 4 lines per order, mostly one or two, with the odd 10 % discount.
INSERT INTO app.order_lines (tenant_id, order_id, product_id, quantity, gross_amount_cents)
WITH products AS (
    SELECT tenant_id, id, price_cents,
           row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn,
           count(*) OVER (PARTITION BY tenant_id) AS products
    FROM app.products
),
orders AS MATERIALIZED (
    SELECT o.tenant_id, o.id AS order_id, n.products, random() AS r_lines
    FROM app.orders o
    JOIN (SELECT DISTINCT tenant_id, products FROM products) n ON n.tenant_id = o.tenant_id
    ORDER BY o.tenant_id, o.id
),
lines AS MATERIALIZED (
    SELECT o.tenant_id, o.order_id, k,
           1 + floor(power(random(), 1.4) * o.products)::int AS product_rn,
           1 + floor(power(random(), 3) * 5)::int AS quantity,
           random() AS r_discount
    FROM orders o
    CROSS JOIN LATERAL generate_series(1, CASE WHEN o.r_lines < 0.40 THEN 1
                                               WHEN o.r_lines < 0.70 THEN 2
                                               WHEN o.r_lines < 0.90 THEN 3
                                               ELSE 4 END) AS k
    ORDER BY o.tenant_id, o.order_id, k
)
SELECT l.tenant_id,
       l.order_id,
       p.id,
       l.quantity,
       CASE WHEN l.r_discount < 0.1
            THEN round(p.price_cents * l.quantity * 0.9)::bigint
            ELSE p.price_cents * l.quantity
       END
FROM lines l
JOIN products p ON p.tenant_id = l.tenant_id AND p.rn = l.product_rn
ORDER BY l.tenant_id, l.order_id, l.k;

UPDATE app.orders o
SET total_cents = l.gross_cents
FROM (
    SELECT tenant_id, order_id, sum(gross_amount_cents) AS gross_cents
    FROM app.order_lines
    GROUP BY tenant_id, order_id
) l
WHERE o.tenant_id = l.tenant_id
  AND o.id = l.order_id;

-- Targets near the average paid sales per day times the days of the month, rounded to 1000.
-- Each tenant leaves two months without a target and sets one to 0 (attainment is null for both).
INSERT INTO app.sales_targets (tenant_id, year, month, target_cents)
WITH params (tenant_id, missing_last_year, missing_this_year, zero_year_offset, zero_month) AS (VALUES
    ('acme-plumbing', 3, 10, 0,  1),
    ('fjord-fitness', 7,  7, -1, 12),
    ('sakura-saas',   5, 12, 0,  2)
),
daily_sales AS (
    SELECT o.tenant_id,
           sum(l.gross_amount_cents)::float8
               / (max(o.created_at)::date - min(o.created_at)::date + 1) AS cents_per_day
    FROM app.orders o
    JOIN app.order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
    WHERE o.status = 'paid'
    GROUP BY o.tenant_id
),
months AS MATERIALIZED (
    SELECT p.*, s.cents_per_day, ty.this_year, y.year, m.month, random() AS r_target
    FROM params p
    JOIN app.tenants t ON t.id = p.tenant_id
    JOIN daily_sales s ON s.tenant_id = p.tenant_id
    CROSS JOIN LATERAL (SELECT extract(year FROM now() AT TIME ZONE t.time_zone)::int AS this_year) AS ty
    CROSS JOIN LATERAL generate_series(ty.this_year - 1, ty.this_year) AS y (year)
    CROSS JOIN LATERAL generate_series(1, 12) AS m (month)
    WHERE NOT (y.year = ty.this_year - 1 AND m.month = p.missing_last_year)
      AND NOT (y.year = ty.this_year AND m.month = p.missing_this_year)
    ORDER BY p.tenant_id, y.year, m.month
)
SELECT tenant_id, year, month,
       CASE WHEN year = this_year + zero_year_offset AND month = zero_month
            THEN 0
            ELSE (round(cents_per_day
                        * extract(day FROM make_date(year, month, 1) + interval '1 month' - interval '1 day')
                        * (0.9 + 0.25 * r_target) / 100000) * 100000)::bigint
       END
FROM months;

-- The last plan of each tenant is one nobody subscribes to (planUsage still lists it).
INSERT INTO app.plans (tenant_id, name, monthly_price_cents) VALUES
    ('acme-plumbing', 'Home Care Basic',            1900),
    ('acme-plumbing', 'Home Care Plus',             3900),
    ('acme-plumbing', 'Commercial Care',           14900),
    ('acme-plumbing', 'Property Manager Bundle',   49900),
    ('fjord-fitness', 'Off-peak',                  29900),
    ('fjord-fitness', 'Standard',                  49900),
    ('fjord-fitness', 'Premium',                   69900),
    ('fjord-fitness', 'Corporate Wellness',       249900),
    ('sakura-saas',   'Starter',                    2900),
    ('sakura-saas',   'Team',                       9900),
    ('sakura-saas',   'Business',                  29900),
    ('sakura-saas',   'Enterprise',                99900);

-- One subscription for a share of the customers, cheaper plans more often, one in five on an old
-- discounted price. Start and cancellation lie between the customer sign-up and now().
INSERT INTO app.subscriptions (tenant_id, plan_id, customer_id, status, monthly_price_cents, started_at, cancelled_at)
WITH params (tenant_id, subscriber_share) AS (VALUES
    ('acme-plumbing', 0.35),
    ('fjord-fitness', 0.70),
    ('sakura-saas',   0.80)
),
candidates AS MATERIALIZED (
    SELECT c.tenant_id, c.id AS customer_id, c.created_at, p.subscriber_share,
           random() AS r_subscribes, random() AS r_status, random() AS r_plan, random() AS r_discount,
           random() AS r_start, random() AS r_length
    FROM app.customers c
    JOIN params p ON p.tenant_id = c.tenant_id
    ORDER BY c.tenant_id, c.id
),
planned AS (
    SELECT c.*,
           CASE WHEN c.r_status < 0.10 THEN 'trialing'
                WHEN c.r_status < 0.72 THEN 'active'
                ELSE 'cancelled'
           END AS status
    FROM candidates c
    WHERE c.r_subscribes < c.subscriber_share
),
dated AS (
    SELECT p.*,
           CASE WHEN p.status = 'trialing'
                THEN greatest(p.created_at, now() - interval '14 days')
                     + (now() - greatest(p.created_at, now() - interval '14 days')) * p.r_start
                ELSE p.created_at + (now() - p.created_at) * p.r_start
           END AS started_at
    FROM planned p
),
plans AS (
    SELECT tenant_id, id, monthly_price_cents,
           row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn,
           count(*) OVER (PARTITION BY tenant_id) - 1 AS sold
    FROM app.plans
)
SELECT d.tenant_id,
       pl.id,
       d.customer_id,
       d.status,
       CASE WHEN d.r_discount < 0.2 THEN pl.monthly_price_cents * 8 / 10 ELSE pl.monthly_price_cents END,
       d.started_at,
       CASE WHEN d.status = 'cancelled'
            THEN d.started_at + (now() - d.started_at) * (0.2 + 0.75 * d.r_length)
       END
FROM dated d
JOIN plans pl
  ON pl.tenant_id = d.tenant_id
 AND pl.rn = 1 + floor(power(d.r_plan, 1.5) * pl.sold)::int
ORDER BY d.tenant_id, d.started_at;

-- One record per subscription and day over the last 180 days while it ran: a level per
-- subscription that grows with the plan price, lower on weekends, now and then a day with no calls.
INSERT INTO app.usage_records (tenant_id, subscription_id, recorded_at, api_calls)
WITH params (tenant_id, calls_per_price_cent) AS (VALUES
    ('acme-plumbing', 0.02),
    ('fjord-fitness', 0.01),
    ('sakura-saas',   1.50)
),
levels AS MATERIALIZED (
    SELECT s.tenant_id, s.id AS subscription_id,
           greatest(s.started_at, now() - interval '180 days') AS first_at,
           coalesce(s.cancelled_at, now()) AS last_at,
           s.monthly_price_cents * p.calls_per_price_cent * (0.3 + 1.4 * random()) AS level
    FROM app.subscriptions s
    JOIN params p ON p.tenant_id = s.tenant_id
    ORDER BY s.tenant_id, s.id
),
daily AS MATERIALIZED (
    SELECT l.tenant_id, l.subscription_id, l.level,
           l.first_at + interval '1 day' * k AS recorded_at,
           random() AS r_idle, random() AS r_calls
    FROM levels l
    CROSS JOIN LATERAL generate_series(0, floor(extract(epoch FROM l.last_at - l.first_at) / 86400)::int) AS k
    ORDER BY l.tenant_id, l.subscription_id, k
)
SELECT d.tenant_id, d.subscription_id, d.recorded_at,
       CASE WHEN d.r_idle < 0.03 THEN 0
            ELSE round(d.level
                       * CASE WHEN extract(isodow FROM d.recorded_at AT TIME ZONE t.time_zone) >= 6 THEN 0.4 ELSE 1 END
                       * (0.6 + 0.8 * d.r_calls))::bigint
       END
FROM daily d
JOIN app.tenants t ON t.id = d.tenant_id
ORDER BY d.tenant_id, d.subscription_id, d.recorded_at;

-- The last provider of each tenant joined recently and has no jobs yet.
INSERT INTO app.providers (tenant_id, name) VALUES
    ('acme-plumbing', 'Mario Rossi'),
    ('acme-plumbing', 'Dana Whitfield'),
    ('acme-plumbing', 'Pipeline Pros LLC'),
    ('acme-plumbing', 'Riverside Drain Service'),
    ('acme-plumbing', 'Luigi Bianchi'),
    ('fjord-fitness', 'Ingrid Solberg'),
    ('fjord-fitness', 'Magnus Haugen'),
    ('fjord-fitness', 'Sofie Berg'),
    ('fjord-fitness', 'Jonas Lie'),
    ('sakura-saas',   'Tanaka Consulting'),
    ('sakura-saas',   'Yamamoto Systems Integration'),
    ('sakura-saas',   'Blue Lotus Partners'),
    ('sakura-saas',   'Kitsune Implementation');

-- Jobs created in local working hours over the last year. Older jobs are mostly completed, recent
-- ones still open or in progress. A completed job took a few hours to several days and usually
-- ends above its estimate (the upsell). Some estimates and final values are missing, and a few
-- completed jobs never recorded a start.
INSERT INTO app.jobs (tenant_id, provider_id, status, estimated_value, final_value, created_at, started_at, completed_at)
WITH params (tenant_id, jobs, typical_value) AS (VALUES
    ('acme-plumbing', 900,  450),
    ('fjord-fitness', 450,  300),
    ('sakura-saas',   350, 4000)
),
planned AS MATERIALIZED (
    SELECT p.tenant_id, p.typical_value, t.time_zone,
           random() AS r_age, random() AS r_hour, random() AS r_provider, random() AS r_status,
           random() AS r_estimate, random() AS r_estimate_null, random() AS r_final, random() AS r_final_null,
           random() AS r_lead, random() AS r_duration, random() AS r_no_start
    FROM params p
    JOIN app.tenants t ON t.id = p.tenant_id
    CROSS JOIN LATERAL generate_series(1, p.jobs)
    ORDER BY p.tenant_id
),
created AS (
    SELECT p.*,
           least(((now() AT TIME ZONE p.time_zone)::date - floor(p.r_age * 365)::int
                  + interval '1 hour' * (8 + 10 * p.r_hour)) AT TIME ZONE p.time_zone,
                 now() - interval '10 minutes') AS created_at
    FROM planned p
),
progressed AS (
    SELECT c.*,
           CASE WHEN c.created_at > now() - interval '3 days' THEN
                    CASE WHEN c.r_status < 0.55 THEN 'open' WHEN c.r_status < 0.90 THEN 'in_progress'
                         WHEN c.r_status < 0.95 THEN 'completed' ELSE 'cancelled' END
                WHEN c.created_at > now() - interval '21 days' THEN
                    CASE WHEN c.r_status < 0.15 THEN 'open' WHEN c.r_status < 0.50 THEN 'in_progress'
                         WHEN c.r_status < 0.92 THEN 'completed' ELSE 'cancelled' END
                ELSE
                    CASE WHEN c.r_status < 0.02 THEN 'open' WHEN c.r_status < 0.05 THEN 'in_progress'
                         WHEN c.r_status < 0.90 THEN 'completed' ELSE 'cancelled' END
           END AS planned_status,
           c.created_at + least(interval '1 hour' + interval '4 days' * power(c.r_lead, 2),
                                (now() - c.created_at) / 2) AS started_at,
           interval '2 hours' + interval '6 days' * power(c.r_duration, 2.5) AS duration,
           CASE WHEN c.r_estimate_null < 0.08 THEN NULL
                ELSE round(c.typical_value * (0.3 + 2 * power(c.r_estimate, 1.5)) / 5) * 5
           END AS estimate
    FROM created c
),
finished AS (
    SELECT p.*,
           CASE WHEN p.planned_status = 'completed' AND p.started_at + p.duration > now() THEN 'in_progress'
                ELSE p.planned_status
           END AS status
    FROM progressed p
),
providers AS (
    SELECT tenant_id, id,
           row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS rn,
           count(*) OVER (PARTITION BY tenant_id) - 1 AS working
    FROM app.providers
)
SELECT f.tenant_id,
       pr.id,
       f.status,
       f.estimate::numeric(12,2),
       CASE WHEN f.status <> 'completed' OR f.r_final_null < 0.06 THEN NULL
            ELSE round((coalesce(f.estimate, f.typical_value)
                        * CASE WHEN f.r_final < 0.55 THEN 1.05 + 0.55 * (f.r_final / 0.55)
                               WHEN f.r_final < 0.80 THEN 1
                               ELSE f.r_final
                          END)::numeric, 2)
       END::numeric(12,2),
       f.created_at,
       CASE WHEN f.status = 'in_progress' THEN f.started_at
            WHEN f.status = 'completed' AND f.r_no_start >= 0.04 THEN f.started_at
            WHEN f.status = 'cancelled' AND f.r_no_start < 0.3 THEN f.started_at
       END,
       CASE WHEN f.status = 'completed' THEN f.started_at + f.duration END
FROM finished f
JOIN providers pr
  ON pr.tenant_id = f.tenant_id
 AND pr.rn = 1 + floor(f.r_provider * pr.working)::int
ORDER BY f.tenant_id, f.created_at;

-- 0 to 3 parts per started job, each a slice of its value, so most jobs stay profitable.
INSERT INTO app.job_parts (tenant_id, job_id, total_cost)
WITH started_jobs AS MATERIALIZED (
    SELECT tenant_id, id AS job_id,
           coalesce(final_value, estimated_value, 200)::float8 AS job_value,
           random() AS r_parts
    FROM app.jobs
    WHERE status IN ('in_progress', 'completed')
    ORDER BY tenant_id, id
),
parts AS MATERIALIZED (
    SELECT j.tenant_id, j.job_id, j.job_value, k, random() AS r_cost
    FROM started_jobs j
    CROSS JOIN LATERAL generate_series(1, CASE WHEN j.r_parts < 0.25 THEN 0
                                               WHEN j.r_parts < 0.60 THEN 1
                                               WHEN j.r_parts < 0.85 THEN 2
                                               ELSE 3 END) AS k
    ORDER BY j.tenant_id, j.job_id, k
)
SELECT tenant_id, job_id, round((job_value * (0.05 + 0.25 * r_cost))::numeric, 2)
FROM parts
ORDER BY tenant_id, job_id, k;

-- Fresh statistics, so the first materialized view refresh after the load gets sensible plans.
ANALYZE app.tenants, app.customers, app.products, app.orders, app.order_lines, app.sales_targets,
        app.plans, app.subscriptions, app.usage_records, app.providers, app.jobs, app.job_parts;
