package io.tally.httpcache;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.documents.TrustedDocuments;
import io.tally.freshness.Freshness;
import io.tally.freshness.FreshnessPolicy;
import io.tally.freshness.LedgerSnapshot;
import io.tally.freshness.ViewStatus;
import io.tally.response.ResponseKey;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * An answer's validator and lifetime, known before it is read: the same tenant, document,
 * variables and view generations give the same answer, and it stays current until the next
 * refresh of any view it reads. Computed from the token and the in-memory ledger only, so a
 * revalidation that matches touches neither the cache nor the database.
 */
@Component
class AnswerTags {

	private static final JsonMapper canonical = JsonMapper.builder()
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	private final ReportCatalog catalog;

	private final LedgerSnapshot ledger;

	private final FreshnessPolicy freshness;

	private final Clock clock;

	AnswerTags(ReportCatalog catalog, LedgerSnapshot ledger, FreshnessPolicy freshness, Clock clock) {
		this.catalog = catalog;
		this.ledger = ledger;
		this.freshness = freshness;
		this.clock = clock;
	}

	/**
	 * The tag of a query that reads reports only; empty for anything else (admin fields, the
	 * viewer, fragments at the root), which is then not cached by browsers.
	 */
	Optional<Tag> tag(String tenant, String subject, String document, OperationDefinition operation,
			Map<String, Object> variables) {
		// The response cache's key (tenant, document, operation, variables), plus who asks and what the views hold.
		ResponseKey key = new ResponseKey(tenant, document, operation.getName(), variables);
		List<String> parts = new ArrayList<>(List.of(key.tenant(), subject, key.document(), String.valueOf(key.operationName()),
				canonical.writeValueAsString(key.variables())));
		long maxAge = Long.MAX_VALUE;
		for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
			if (!(selection instanceof Field field)) {
				return Optional.empty();
			}
			if (field.getName().equals("__typename")) {
				continue;
			}
			Optional<ReportDefinition> report = this.catalog.find(field.getName());
			if (report.isEmpty()) {
				return Optional.empty();
			}
			ViewStatus status = this.ledger.status(report.get());
			parts.add(report.get().view() + "@" + status.generation());
			maxAge = Math.min(maxAge, secondsUntilNextRefresh(report.get(), status));
		}
		if (maxAge == Long.MAX_VALUE) {
			return Optional.empty();
		}
		return Optional.of(new Tag("\"" + TrustedDocuments.id(String.join("\u0000", parts)) + "\"", maxAge));
	}

	private long secondsUntilNextRefresh(ReportDefinition report, ViewStatus status) {
		Freshness now = this.freshness.describe(report, status, null);
		if (now.nextRefreshAt() == null) {
			return 0;
		}
		return Math.max(0, Duration.between(this.clock.instant(), now.nextRefreshAt().toInstant()).toSeconds());
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
