package io.tally.compiled;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tally.catalog.ReportCatalog;
import io.tally.graphql.GraphQlLimitsProperties;
import io.tally.pipeline.DocumentPlan;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.stereotype.Component;

/**
 * The compiled form of each document plan seen, bounded like the plans: a document is compiled
 * once execution has answered it without errors (so it parsed and validated), and the outcome is
 * kept either way, so a document that cannot be compiled is checked only once.
 */
@Component
class CompiledQueries {

	/** Distinct documents kept; a client flooding with new ones only churns this bounded cache. */
	private static final int MAX_DOCUMENTS = 1_000;

	private final Cache<DocumentPlan, Optional<CompiledQuery>> queries = Caffeine.newBuilder()
		.maximumSize(MAX_DOCUMENTS)
		.build();

	/** Looked up when first needed: the catalog is built from the schema the source holds. */
	private final ObjectProvider<GraphQlSource> source;

	private final ObjectProvider<ReportCatalog> catalog;

	private final CompiledQuery.Limits limits;

	CompiledQueries(ObjectProvider<GraphQlSource> source, ObjectProvider<ReportCatalog> catalog,
			GraphQlLimitsProperties limits) {
		this.source = source;
		this.catalog = catalog;
		this.limits = new CompiledQuery.Limits(limits.maxDepth(), limits.maxComplexity());
	}

	/** The plan's compiled operation; null when it was not compiled (yet, or cannot be). */
	CompiledQuery find(DocumentPlan plan) {
		Optional<CompiledQuery> compiled = this.queries.getIfPresent(plan);
		return (compiled != null) ? compiled.orElse(null) : null;
	}

	/** Compiles a document that execution answered without errors, unless that was done before. */
	void compile(DocumentPlan plan) {
		if (!plan.runnable()) {
			return;
		}
		this.queries.get(plan, key -> CompiledQuery.compile(plan, this.source.getObject().schema(),
				field -> this.catalog.getObject().find(field).isPresent(), this.limits));
	}

}
