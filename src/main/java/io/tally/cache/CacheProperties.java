package io.tally.cache;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The per-tenant report cache and the kept whole answers, held together to one memory budget.
 *
 * @param enabled Whether answers are cached at all; off, every request reads the view
 * @param maxBytes The memory the report cache and the kept whole answers may hold together,
 * each entry weighed by an estimate of its retained heap size. Unset, a quarter of the maximum
 * heap: of -Xmx256m that is 64 MB, leaving about 60 MB for the application's own live objects
 * after start, about 1 MB per request in flight (a year of daily rows read, executed and written
 * out; 100 MB for the 100 request threads of the Helm chart) and 30 MB of headroom for the
 * garbage collector to work in.
 * @param maxEntryFraction The largest part of {@code max-bytes} one entry may take; a larger
 * answer is sent but not kept, so one huge answer cannot empty everyone's cache
 * @param maxAge A safety bound on how long an answer is kept; refreshes evict sooner
 * @param responses Whether whole answers are also kept serialized, so a repeated request is sent
 * without executing GraphQL again; off, repeats are answered from the report cache
 * @param warmUpKeys After a view's refresh, how many of its most-read answers are read again at
 * once under the new data, so the first readers after a refresh find them cached; 0 turns it off
 * @param warmUpKeysPerTenant The most of those one tenant gets; tenants take turns, most-read first
 */
@Validated
@ConfigurationProperties("tally.cache")
public record CacheProperties(@DefaultValue("true") boolean enabled, DataSize maxBytes,
		@DefaultValue("0.05") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double maxEntryFraction,
		@DefaultValue("1h") @NotNull Duration maxAge, @DefaultValue("true") boolean responses,
		@DefaultValue("200") @Min(0) int warmUpKeys, @DefaultValue("20") @Min(1) int warmUpKeysPerTenant) {

	public CacheProperties {
		if (maxBytes != null && maxBytes.toBytes() < 1) {
			throw new IllegalArgumentException("tally.cache.max-bytes must be positive, not " + maxBytes);
		}
	}

	/** The share of the maximum heap {@code max-bytes} defaults to. */
	static final double DEFAULT_HEAP_SHARE = 0.25;

	/** {@code max-bytes}, or its default share of this JVM's maximum heap. */
	long budgetBytes() {
		return (this.maxBytes != null) ? this.maxBytes.toBytes()
				: (long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_SHARE);
	}

}
