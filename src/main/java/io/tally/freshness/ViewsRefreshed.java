package io.tally.freshness;

import java.util.List;

/**
 * Application event: this instance learned that the data of some views changed, through a refresh
 * made by any instance. Modules that keep something derived from the views (the answer cache, a
 * subscription) listen to it instead of being called by {@code freshness}. It is published
 * synchronously, before the refresh that caused it returns, so an admin's refresh is visible in
 * the very next answer.
 *
 * @param views the views whose data changed
 * @param reports the reports reading those views, by {@code Query} field name
 * @param notificationsMissed whether refresh notifications may have been missed (the listener's
 * connection was lost), so every view is named because any of them may have changed
 */
public record ViewsRefreshed(List<String> views, List<String> reports, boolean notificationsMissed) {
}
