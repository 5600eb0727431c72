-- Always twelve months: a month without sales or target still appears, with 0 sales and no target.
WITH calendar AS (
    SELECT generate_series(1, 12) AS month
),
year_rows AS (
    SELECT month, gross_sales_cents, weekend_gross_sales_cents, target_cents, attainment_percent
    FROM report.sales_vs_target
    WHERE year = CAST(:year AS int)
)
SELECT calendar.month::int,
       -- Sums stay numeric, exact past bigint: Long carries every digit.
       coalesce(year_rows.gross_sales_cents, 0)         AS gross_sales_cents,
       coalesce(year_rows.weekend_gross_sales_cents, 0) AS weekend_gross_sales_cents,
       year_rows.target_cents::bigint,
       year_rows.attainment_percent::float8
FROM calendar
LEFT JOIN year_rows USING (month)
ORDER BY calendar.month;
