package io.tally.httpcache;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tally.catalog.ReportDefinition;
import io.tally.documents.TrustedDocuments;
import io.tally.freshness.Freshness;
import io.tally.freshness.FreshnessPolicy;
import io.tally.freshness.ViewStatus;
import io.tally.replica.ReadRouting;
import io.tally.response.AnswerVersion;
import io.tally.response.ResponseKey;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * An answer's validator and lifetime: the same tenant, document, variables and view generations
 * give the same answer, and it stays current until the next refresh of any view it reads. An
 * answer's tag is made from the generations it was actually read under, on whichever source
 * served it, so a lagging replica's older rows never go out under a newer generation's tag. A
 * revalidation is checked against the tags the sources that may serve it would give now, from
 * the token and the in-memory ledger copies only, so one that matches touches neither the cache
 * nor the database.
 */
@Component
class AnswerTags {

	private static final JsonMapper canonical = JsonMapper.builder()
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	private final ReadRouting routing;

	private final FreshnessPolicy freshness;

	private final Clock clock;

	AnswerTags(ReadRouting routing, FreshnessPolicy freshness, Clock clock) {
		this.routing = routing;
		this.freshness = freshness;
		this.clock = clock;
	}

	/**
	 * The tags the sources that may serve these reports would give their answer now, the primary's
	 * last: a revalidation matching any of them holds the rows that source would send.
	 */
	List<Tag> current(Who who, List<ReportDefinition> reports) {
		return this.routing.copies(reports)
			.stream()
			.map(copy -> tag(who, AnswerVersion.heldBy(copy, reports)))
			.toList();
	}

	/** The tag of an answer of this version: who asks what, and the generations it holds. */
	Tag tag(Who who, AnswerVersion version) {
		// The response cache's key (tenant, document, operation, variables), plus who asks and what the views hold.
		ResponseKey key = new ResponseKey(who.tenant(), who.document(), who.operationName(), who.variables());
		List<String> parts = new ArrayList<>(List.of(key.tenant(), who.subject(), key.document(),
				String.valueOf(key.operationName()), canonical.writeValueAsString(key.variables())));
		parts.addAll(version.generations());
		long maxAge = version.reads()
			.values()
			.stream()
			.mapToLong(read -> secondsUntilNextRefresh(read.report(), read.status()))
			.min()
			.orElse(0);
		return new Tag("\"" + TrustedDocuments.id(String.join("\u0000", parts)) + "\"", maxAge);
	}

	private long secondsUntilNextRefresh(ReportDefinition report, ViewStatus status) {
		Freshness now = this.freshness.describe(report, status, null);
		if (now.nextRefreshAt() == null) {
			return 0;
		}
		return Math.max(0, Duration.between(this.clock.instant(), now.nextRefreshAt().toInstant()).toSeconds());
	}

	/**
	 * Who asks what: everything but the view generations that names one answer.
	 * @param tenant the tenant the caller's token resolved to
	 * @param subject the caller
	 * @param document the document text
	 * @param operationName the operation picked, or null
	 * @param variables the variables as sent
	 */
	record Who(String tenant, String subject, String document, String operationName, Map<String, Object> variables) {
	}

	/**
	 * @param etag the quoted entity tag
	 * @param maxAgeSeconds how long a browser may reuse the answer without asking
	 */
	record Tag(String etag, long maxAgeSeconds) {

		String cacheControl() {
			return "private, max-age=" + this.maxAgeSeconds;
		}

	}

}
