package io.tally.live;

import java.time.ZoneOffset;
import java.util.List;

import graphql.schema.DataFetchingEnvironment;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.LedgerSnapshot;
import io.tally.graphql.BadRequestException;
import io.tally.pipeline.RequestContext;
import io.tally.tenancy.Caller;
import reactor.core.publisher.Flux;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;

/**
 * {@code reportRefreshed}: tells a front end that a report has newer data, so it can ask again
 * (or follow the report's own subscription) instead of polling.
 */
@Controller
class LiveController {

	private final LiveSubscriptions subscriptions;

	private final ReportCatalog catalog;

	private final LedgerSnapshot ledger;

	LiveController(LiveSubscriptions subscriptions, ReportCatalog catalog,
			LedgerSnapshot ledger) {
		this.subscriptions = subscriptions;
		this.catalog = catalog;
		this.ledger = ledger;
	}

	@SubscriptionMapping
	Flux<ReportRefreshed> reportRefreshed(@Argument List<String> reports, DataFetchingEnvironment environment) {
		RequestContext request = RequestContext.of(environment);
		Caller caller = request.readingCaller();
		List<String> known = this.catalog.all().stream().map(ReportDefinition::field).toList();
		List<String> wanted = (reports != null) ? reports : known;
		for (String report : wanted) {
			if (!known.contains(report)) {
				throw new BadRequestException("Argument 'reports': there is no report '" + report + "'; reports are "
						+ String.join(", ", known));
			}
		}
		String share = request.limits().key();
		this.subscriptions.checkRoom(caller, share);
		return this.subscriptions.refreshesOf(caller, share, request.caller().tokenExpiry(), wanted)
			.flatMapIterable(refreshed -> refreshed)
			.map(this::event);
	}

	private ReportRefreshed event(String report) {
		ReportDefinition definition = this.catalog.find(report).orElseThrow();
		var refreshedAt = this.ledger.status(definition).refreshedAt();
		return new ReportRefreshed(report, (refreshedAt != null) ? refreshedAt.atOffset(ZoneOffset.UTC) : null);
	}

	/**
	 * The GraphQL {@code ReportRefreshed} event.
	 *
	 * @param report the report's Query field name
	 * @param refreshedAt when its view's refresh finished
	 */
	record ReportRefreshed(String report, java.time.OffsetDateTime refreshedAt) {
	}

}
