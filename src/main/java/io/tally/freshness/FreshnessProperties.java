package io.tally.freshness;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Refreshing views and telling every instance about it.
 *
 * @param schedulerEnabled Whether this instance refreshes views on their schedule; all instances
 * may, a lock makes one of them do each refresh
 * @param pollInterval How often the refresh ledger is read even without a notification, bounding
 * how long a lost notification can leave an instance serving an old answer
 * @param channel The PostgreSQL NOTIFY channel refreshes are announced on
 * @param refreshTimeout The statement timeout of one refresh
 * @param rebuildInterval How often a view kept incrementally is rebuilt in full from its definition,
 * healing any change its change log missed (triggers disabled during a load, for example)
 */
@Validated
@ConfigurationProperties("tally.freshness")
public record FreshnessProperties(@DefaultValue("true") boolean schedulerEnabled,
		@DefaultValue("30s") @NotNull Duration pollInterval,
		@DefaultValue("tally_refresh") @Pattern(regexp = "[a-z_][a-z0-9_]*") String channel,
		@DefaultValue("10m") @NotNull Duration refreshTimeout,
		@DefaultValue("1d") @NotNull Duration rebuildInterval) {
}
