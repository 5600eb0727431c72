package io.tally.replica;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Streaming read replicas of the primary database that report reads may go to.
 *
 * @param replicas JDBC URLs of the read replicas, e.g.
 * {@code jdbc:postgresql://replica-1:5432/tally}; they are reached with the same login as
 * {@code spring.datasource}. Empty: every read goes to the primary
 * @param primaryFallback Whether a report is read from the primary when no replica can serve it
 * (all down, promoted, or lagging more than the report's allowed staleness); off, such a read
 * fails as unavailable instead of adding load to the primary
 * @param checkInterval How often each replica's replay position and its copy of the refresh
 * ledger are read; a stopped or promoted replica is noticed within this time
 * @param poolSize The most connections held to each replica
 * @param connectionTimeout How long a read waits for a replica connection before it counts the
 * replica as down and falls back
 */
@Validated
@ConfigurationProperties("tally.datasource")
public record ReplicaProperties(@DefaultValue({}) List<@Pattern(regexp = "jdbc:postgresql:.+") String> replicas,
		@DefaultValue("true") boolean primaryFallback, @DefaultValue("2s") @NotNull Duration checkInterval,
		@DefaultValue("10") @Min(1) int poolSize, @DefaultValue("2s") @NotNull Duration connectionTimeout) {
}
