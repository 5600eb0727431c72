package io.tally.freshness;

import java.time.OffsetDateTime;

/**
 * How fresh one answer is; the GraphQL {@code Freshness} type.
 *
 * @param refreshedAt when the view's last successful refresh finished
 * @param ageSeconds seconds from then to this response
 * @param refreshIntervalSeconds how often the view is refreshed
 * @param nextRefreshAt when the next refresh is due
 * @param stale older than allowed, or the last refresh failed
 * @param servedFrom CACHE or VIEW
 * @param cachedAt when a cached answer was read from the view
 * @param description the same in plain words
 */
public record Freshness(OffsetDateTime refreshedAt, int ageSeconds, int refreshIntervalSeconds,
		OffsetDateTime nextRefreshAt, boolean stale, String servedFrom, OffsetDateTime cachedAt, String description) {
}
