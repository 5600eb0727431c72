-- Every region the tenant has customers in, alphabetically.
SELECT region,
       customers::int
FROM report.regions
ORDER BY region;
