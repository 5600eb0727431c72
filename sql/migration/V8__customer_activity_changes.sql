-- customer_activity kept incrementally (R__customer_activity.sql, docs/reports.md "How each view is
-- kept, and why"): the change log its routine refresh reads, and the triggers that write it. Here,
-- not in the repeatable file, because capturing writes does not depend on the view's shape: the
-- repeatable file may rebuild the table as often as it changes, the log and its triggers stay.
--
-- The log holds (tenant, customer): a customer whose row or paid orders a write touched. Only
-- app.orders and app.customers feed the view (an order counts with its own total_cents, its lines
-- are never read, and no time zone is involved), so app.order_lines and app.tenants log nothing.
-- customer_id null: every customer of the tenant; tenant_id null too: everything (a TRUNCATE).
CREATE TABLE tally.customer_activity_changes (
    tenant_id   text,
    customer_id bigint
);

-- Triggers run as the writer; these functions run as the owner, so writers need no grant on the
-- log. Only paid orders count: an order is logged when it was paid before the write or is after it
-- (so a refund, a late payment, a moved order and a deleted one all reach their customers).
CREATE FUNCTION tally.customer_activity_orders_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.customer_activity_changes VALUES (NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.customer_activity_changes
        SELECT DISTINCT tenant_id, customer_id FROM new_rows WHERE status = 'paid';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.customer_activity_changes
        SELECT DISTINCT tenant_id, customer_id FROM old_rows WHERE status = 'paid';
    END IF;
    RETURN NULL;
END
$$;

-- Every customer written: a new one is listed (0 orders), a renamed or moved one changes its row
-- (a region changes its region position), a deleted one leaves.
CREATE FUNCTION tally.customer_activity_customers_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.customer_activity_changes VALUES (NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.customer_activity_changes SELECT DISTINCT tenant_id, id FROM new_rows;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.customer_activity_changes SELECT DISTINCT tenant_id, id FROM old_rows;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER customer_activity_inserted AFTER INSERT ON app.orders REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.customer_activity_orders_changed();
CREATE TRIGGER customer_activity_updated AFTER UPDATE ON app.orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.customer_activity_orders_changed();
CREATE TRIGGER customer_activity_deleted AFTER DELETE ON app.orders REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.customer_activity_orders_changed();
CREATE TRIGGER customer_activity_truncated AFTER TRUNCATE ON app.orders
    FOR EACH STATEMENT EXECUTE FUNCTION tally.customer_activity_orders_changed();

CREATE TRIGGER customer_activity_inserted AFTER INSERT ON app.customers REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.customer_activity_customers_changed();
CREATE TRIGGER customer_activity_updated AFTER UPDATE ON app.customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.customer_activity_customers_changed();
CREATE TRIGGER customer_activity_deleted AFTER DELETE ON app.customers REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.customer_activity_customers_changed();
CREATE TRIGGER customer_activity_truncated AFTER TRUNCATE ON app.customers
    FOR EACH STATEMENT EXECUTE FUNCTION tally.customer_activity_customers_changed();
