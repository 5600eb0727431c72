-- plan_usage kept incrementally (R__plan_usage.sql, docs/reports.md "How each view is kept, and
-- why"): the change log its routine refresh reads, and the triggers that write it. Here, not in the
-- repeatable file, because capturing writes does not depend on the view's shape: the repeatable
-- file may rebuild the tables as often as it changes, the log and its triggers stay.
--
-- The log holds (tenant, subscription, plan). subscription_id set: that subscription is counted
-- again (its row, and the sum of its own records), and the plans it was and is counted on move by
-- the difference. plan_id set: that plan's row is written again (a new plan, a name, a delete).
-- tenant_id null: everything (a TRUNCATE). Only app.plans, app.subscriptions and
-- app.usage_records feed the view (no time zone, no customer), so nothing else logs.
CREATE TABLE tally.plan_usage_changes (
    tenant_id       text,
    subscription_id bigint,
    plan_id         bigint
);

-- Triggers run as the writer; these functions run as the owner, so writers need no grant on the
-- log. A usage record logs its subscription (old and new row of an update, so a record moved to
-- another subscription reaches both); its plan is known at refresh time, from the subscription.
CREATE FUNCTION tally.plan_usage_usage_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.plan_usage_changes VALUES (NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.plan_usage_changes SELECT DISTINCT tenant_id, subscription_id, NULL::bigint FROM new_rows;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.plan_usage_changes SELECT DISTINCT tenant_id, subscription_id, NULL::bigint FROM old_rows;
    END IF;
    RETURN NULL;
END
$$;

-- A subscription written logs itself, so a status or price change, a move and a delete are counted
-- (the difference reaches the plan it was counted on and the one it is on), with its old and new
-- plan, so each line also names the plans it touches. Counting it again sums its records again:
-- one index range of its own records.
CREATE FUNCTION tally.plan_usage_subscriptions_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.plan_usage_changes VALUES (NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.plan_usage_changes SELECT DISTINCT tenant_id, id, plan_id FROM new_rows;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.plan_usage_changes SELECT DISTINCT tenant_id, id, plan_id FROM old_rows;
    END IF;
    RETURN NULL;
END
$$;

-- Every plan written: a new one is listed (zeros), a renamed one changes its row, a deleted one leaves.
CREATE FUNCTION tally.plan_usage_plans_changed()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO tally.plan_usage_changes VALUES (NULL, NULL, NULL);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO tally.plan_usage_changes SELECT DISTINCT tenant_id, NULL::bigint, id FROM new_rows;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO tally.plan_usage_changes SELECT DISTINCT tenant_id, NULL::bigint, id FROM old_rows;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER plan_usage_inserted AFTER INSERT ON app.usage_records REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_usage_changed();
CREATE TRIGGER plan_usage_updated AFTER UPDATE ON app.usage_records REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_usage_changed();
CREATE TRIGGER plan_usage_deleted AFTER DELETE ON app.usage_records REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_usage_changed();
CREATE TRIGGER plan_usage_truncated AFTER TRUNCATE ON app.usage_records
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_usage_changed();

CREATE TRIGGER plan_usage_inserted AFTER INSERT ON app.subscriptions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_subscriptions_changed();
CREATE TRIGGER plan_usage_updated AFTER UPDATE ON app.subscriptions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_subscriptions_changed();
CREATE TRIGGER plan_usage_deleted AFTER DELETE ON app.subscriptions REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_subscriptions_changed();
CREATE TRIGGER plan_usage_truncated AFTER TRUNCATE ON app.subscriptions
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_subscriptions_changed();

CREATE TRIGGER plan_usage_inserted AFTER INSERT ON app.plans REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_plans_changed();
CREATE TRIGGER plan_usage_updated AFTER UPDATE ON app.plans REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_plans_changed();
CREATE TRIGGER plan_usage_deleted AFTER DELETE ON app.plans REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_plans_changed();
CREATE TRIGGER plan_usage_truncated AFTER TRUNCATE ON app.plans
    FOR EACH STATEMENT EXECUTE FUNCTION tally.plan_usage_plans_changed();
