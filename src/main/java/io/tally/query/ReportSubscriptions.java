package io.tally.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import graphql.GraphQLContext;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.tally.catalog.ReportDefinition;
import io.tally.live.LiveSubscriptions;
import io.tally.pipeline.RequestContext;
import io.tally.tenancy.Caller;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

/**
 * Every report field is also a subscription field with the same arguments and type: it sends the
 * answer at once and, after each refresh of the report's view, the new answer, read through the
 * same cache and checks as a query. The Subscription fields are copied from Query when the
 * schema is built, so a new report needs no SDL for this either.
 */
@Component
class ReportSubscriptions {

	private final ReportDataFetcher reports;

	private final LiveSubscriptions subscriptions;

	ReportSubscriptions(ReportDataFetcher reports, LiveSubscriptions subscriptions) {
		this.reports = reports;
		this.subscriptions = subscriptions;
	}

	Publisher<Map<String, Object>> subscribe(DataFetchingEnvironment environment) {
		ReportDefinition report = this.reports.report(environment);
		// Taken now from the request context: later answers are read on behalf of this caller.
		RequestContext request = RequestContext.of(environment);
		Caller caller = request.readingCaller();
		Instant expiry = request.caller().tokenExpiry();
		Map<String, Object> arguments = environment.getArguments();
		Set<String> selection = ReportDataFetcher.selectedFields(environment);
		GraphQLContext context = environment.getGraphQlContext();
		String share = request.limits().key();
		// The first answer is read now, so bad arguments or a refused tenant fail the subscription
		// exactly as they fail a query; a full share is refused before that read.
		Map<String, Object> first;
		try {
			this.subscriptions.checkRoom(caller, share);
			first = this.reports.answer(report, caller, arguments, selection, context);
		}
		catch (RuntimeException ex) {
			return Flux.error(ex);
		}
		Mono<Map<String, Object>> again = Mono.fromCallable(() -> this.reports.answer(report, caller, arguments, selection, context))
			.subscribeOn(Schedulers.boundedElastic());
		Flux<List<String>> refreshes = this.subscriptions.refreshesOf(caller, share, expiry, List.of(report.field()));
		return Flux.concat(Mono.just(first), refreshes.onBackpressureLatest().concatMap(refreshed -> again, 1));
	}

	/** Adds each {@code @report} field of Query to Subscription, directive included. */
	static void copyReportFields(TypeDefinitionRegistry registry, String directive) {
		List<FieldDefinition> fields = registry.getType("Query", ObjectTypeDefinition.class)
			.map(query -> query.getFieldDefinitions().stream())
			.orElseGet(java.util.stream.Stream::empty)
			.toList();
		List<FieldDefinition> reportFields = java.util.stream.Stream
			.concat(fields.stream(),
					registry.objectTypeExtensions()
						.getOrDefault("Query", List.of())
						.stream()
						.flatMap(extension -> extension.getFieldDefinitions().stream()))
			.filter(field -> field.hasDirective(directive))
			.toList();
		if (!reportFields.isEmpty() && registry.getType("Subscription").isPresent()) {
			registry.add(ObjectTypeExtensionDefinition.newObjectTypeExtensionDefinition()
				.name("Subscription")
				.fieldDefinitions(reportFields)
				.build());
		}
	}

}
