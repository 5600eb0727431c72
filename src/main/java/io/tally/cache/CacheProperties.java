package io.tally.cache;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The per-tenant report cache.
 *
 * @param enabled Whether answers are cached at all; off, every request reads the view
 * @param maxEntriesPerTenant The most answers kept for one tenant, so one tenant's many distinct
 * queries evict only its own entries
 * @param maxTenants The most tenants with cached answers at once
 * @param maxAge A safety bound on how long an answer is kept; refreshes evict sooner
 * @param responses Whether whole answers are also kept serialized, so a repeated request is sent
 * without executing GraphQL again; off, repeats are answered from the report cache
 * @param warmUpKeys After a view's refresh, how many of its most-read answers are read again at
 * once under the new data, so the first readers after a refresh find them cached; 0 turns it off
 * @param warmUpKeysPerTenant The most of those one tenant gets; tenants take turns, most-read first
 */
@Validated
@ConfigurationProperties("tally.cache")
public record CacheProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("1000") @Min(1) int maxEntriesPerTenant, @DefaultValue("10000") @Min(1) int maxTenants,
		@DefaultValue("1h") @NotNull Duration maxAge, @DefaultValue("true") boolean responses,
		@DefaultValue("200") @Min(0) int warmUpKeys, @DefaultValue("20") @Min(1) int warmUpKeysPerTenant) {
}
