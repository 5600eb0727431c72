package io.tally.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import graphql.GraphQLContext;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.execution.FieldCollector;
import graphql.execution.FieldCollectorParameters;
import graphql.execution.MergedField;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.SelectedField;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.catalog.ReportSection;
import io.tally.freshness.Freshness;
import io.tally.freshness.FreshnessPolicy;
import io.tally.limits.ReadBulkhead;
import io.tally.pipeline.RequestContext;
import io.tally.response.ResponseRecording;
import io.tally.tenancy.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The one data fetcher behind every {@code @report} field: it checks who may read which tenant,
 * resolves the arguments and the sections the selection touches, answers through
 * {@link ReportReader} from the tenant's cache or the view, and adds the answer's freshness,
 * computed now.
 */
@Component
public class ReportDataFetcher implements DataFetcher<Map<String, Object>> {

	private static final Logger audit = LoggerFactory.getLogger("io.tally.audit");

	private static final FieldCollector FIELDS = new FieldCollector();

	private final ReportCatalog catalog;

	private final ReportArguments arguments;

	private final ReportReader reader;

	private final FreshnessPolicy freshness;

	private final ReadBulkhead bulkhead;

	ReportDataFetcher(ReportCatalog catalog, ReportArguments arguments, ReportReader reader,
			FreshnessPolicy freshness, ReadBulkhead bulkhead) {
		this.catalog = catalog;
		this.arguments = arguments;
		this.reader = reader;
		this.freshness = freshness;
		this.bulkhead = bulkhead;
	}

	@Override
	public Map<String, Object> get(DataFetchingEnvironment environment) {
		Map<String, Object> precomputed = PrecomputedAnswers.take(environment);
		if (precomputed != null) {
			return precomputed;
		}
		RequestContext context = RequestContext.of(environment);
		return answer(report(environment), context.readingCaller(), environment.getArguments(),
				selectedFields(environment), environment.getGraphQlContext());
	}

	ReportDefinition report(DataFetchingEnvironment environment) {
		return this.catalog.find(environment.getFieldDefinition().getName()).orElseThrow();
	}

	/**
	 * The answer for a caller already resolved, so a subscription can ask again after a refresh
	 * on a thread that has no request, and a compiled query can ask without a field being executed.
	 * @param arguments the field's arguments, coerced as execution coerces them
	 * @param selected the names of the report type's fields the request selects
	 * @param context the request's GraphQL context (limits, the response recording)
	 */
	public Map<String, Object> answer(ReportDefinition report, Caller caller, Map<String, Object> arguments,
			Set<String> selected, GraphQLContext context) {
		return answer(ask(report, caller, arguments), selected, Map.of(), context);
	}

	/**
	 * A report asked for, its arguments checked and resolved (defaults applied) but nothing read
	 * yet, so a compiled query learns that execution must answer before it reads anything.
	 * @param arguments the field's arguments, coerced as execution coerces them
	 */
	public Asked ask(ReportDefinition report, Caller caller, Map<String, Object> arguments) {
		if (caller.admin()) {
			audit.atInfo()
				.addKeyValue("event", "admin-read")
				.addKeyValue("subject", caller.subject())
				.addKeyValue("tenant", caller.tenantId())
				.addKeyValue("report", report.field())
				.log("Admin {} read {} of tenant {}", caller.subject(), report.field(), caller.tenantId());
		}
		return new Asked(report, caller, this.arguments.resolve(report, arguments, caller.tenantId()));
	}

	/**
	 * The answer to a report asked for, with the sections that have a layout written as JSON (a
	 * {@code Utf8Json} in place of their rows), as the compiled writer asks.
	 * @param selected the names of the report type's fields the request selects
	 * @param layouts by section field, how the request writes its rows; empty to read rows as maps
	 * @param context the request's GraphQL context (limits, the response recording)
	 */
	public Map<String, Object> answer(Asked asked, Set<String> selected, Map<String, RowLayout> layouts,
			GraphQLContext context) {
		ReportDefinition report = asked.report;
		ReportReader.Read read = new ReportReader.Read(report, asked.caller.tenantId(), asked.arguments,
				selectedSections(report, selected), layouts);
		// Only a read that reaches the database takes one of the tenant's read slots.
		ReportReader.Answer answer = this.reader.read(read,
				load -> this.bulkhead.read(RequestContext.of(context).limits(), load));
		Map<String, Object> result = new HashMap<>(answer.data().sections());
		Freshness freshness = this.freshness.describe(report, answer.status(),
				answer.hit() ? answer.data().readAt() : null);
		result.put("freshness", freshness);
		ResponseRecording recording = context.get(ResponseRecording.class);
		if (recording != null) {
			recording.read(freshness, report, answer.status(), answer.touchesHistory(), answer.data().readAt(),
					() -> this.reader.asked(read));
		}
		return result;
	}

	/** A report asked for by a caller, with its arguments resolved. */
	public static final class Asked {

		private final ReportDefinition report;

		private final Caller caller;

		private final ResolvedArguments arguments;

		private Asked(ReportDefinition report, Caller caller, ResolvedArguments arguments) {
			this.report = report;
			this.caller = caller;
			this.arguments = arguments;
		}

	}

	/**
	 * The names of the report's fields the request selects, collected as execution collects them
	 * (fragments merged, {@code @include}/{@code @skip} applied). Not
	 * {@link DataFetchingEnvironment#getSelectionSet()}: that normalizes the whole operation and
	 * compiles a glob per {@code contains}, a tenth of a miss's time in a profile.
	 */
	static Set<String> selectedFields(DataFetchingEnvironment environment) {
		if (!(GraphQLTypeUtil.unwrapAll(environment.getFieldType()) instanceof GraphQLObjectType type)) {
			return environment.getSelectionSet().getImmediateFields().stream().map(SelectedField::getName)
				.collect(Collectors.toUnmodifiableSet());
		}
		FieldCollectorParameters parameters = FieldCollectorParameters.newParameters()
			.schema(environment.getGraphQLSchema())
			.objectType(type)
			.fragments(environment.getFragmentsByName())
			.variables(environment.getVariables())
			.graphQLContext(environment.getGraphQlContext())
			.build();
		return FIELDS.collectFields(parameters, environment.getMergedField())
			.getSubFieldsList()
			.stream()
			.map(MergedField::getName)
			.collect(Collectors.toUnmodifiableSet());
	}

	/** The sections the selection touches; a connection's page info comes from its edges' query. */
	private static List<ReportSection> selectedSections(ReportDefinition report, Set<String> selected) {
		return report.sections()
			.stream()
			.filter(section -> selected.contains(section.field())
					|| section.shape() == ReportSection.Shape.EDGES && selected.contains(Connections.PAGE_INFO))
			.toList();
	}

}
