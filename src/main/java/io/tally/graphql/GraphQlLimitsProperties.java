package io.tally.graphql;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How much one GraphQL request may ask for. Every limit is checked before any data fetcher runs,
 * so an over-limit request costs no SQL.
 *
 * @param maxDepth The deepest field nesting a document may select
 * @param maxComplexity The most fields a document may select, each alias and each nested field
 * counting once
 * @param maxDocumentCharacters The longest document, in characters, the parser accepts
 * @param maxDocumentTokens The most grammar tokens (names, punctuation, values) a document may have
 * @param requestTimeout The longest one request may take; {@code tally.query.statement-timeout}
 * must be shorter, so PostgreSQL has cancelled a running report query by then
 * @param maxBodySize The largest HTTP request body, document and variables together, read at all
 * @param maxReportFields The most report fields one request may ask for, each alias counting,
 * checked before any SQL runs; {@code tally.limits.overrides} may set it per issuer or role
 * @param bodyReadTimeout The longest the whole request body may take to arrive, so a client
 * sending it a byte at a time cannot hold a request thread
 */
@Validated
@ConfigurationProperties("tally.graphql")
public record GraphQlLimitsProperties(@DefaultValue("10") @Min(1) int maxDepth,
		@DefaultValue("200") @Min(1) int maxComplexity, @DefaultValue("10000") @Min(1) int maxDocumentCharacters,
		@DefaultValue("1000") @Min(1) int maxDocumentTokens, @DefaultValue("10s") @NotNull Duration requestTimeout,
		@DefaultValue("100KB") @NotNull DataSize maxBodySize, @DefaultValue("5") @Min(1) int maxReportFields,
		@DefaultValue("10s") @NotNull Duration bodyReadTimeout) {
}
