package io.tally.compiled;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.language.Document;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import io.tally.catalog.ReportCatalog;
import io.tally.graphql.GraphQlLimitsProperties;
import io.tally.limits.ReportFieldCap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.stereotype.Component;

/**
 * The compiled form of each query document seen, bounded like the parsed documents: a document
 * is compiled once execution has answered it without errors (so it parsed and validated), and
 * the outcome is kept either way, so a document that cannot be compiled is checked only once.
 */
@Component
class CompiledQueries {

	/** Distinct documents kept; a client flooding with new ones only churns this bounded cache. */
	private static final int MAX_DOCUMENTS = 1_000;

	private final Cache<Key, Optional<CompiledQuery>> queries = Caffeine.newBuilder()
		.maximumSize(MAX_DOCUMENTS)
		.build();

	/** Looked up when first needed: the catalog is built from the schema the source holds. */
	private final ObjectProvider<GraphQlSource> source;

	private final ObjectProvider<ReportCatalog> catalog;

	private final ReportFieldCap cap;

	private final CompiledQuery.Limits limits;

	CompiledQueries(ObjectProvider<GraphQlSource> source, ObjectProvider<ReportCatalog> catalog, ReportFieldCap cap,
			GraphQlLimitsProperties limits) {
		this.source = source;
		this.catalog = catalog;
		this.cap = cap;
		this.limits = new CompiledQuery.Limits(limits.maxDepth(), limits.maxComplexity());
	}

	/** The document's compiled operation; null when it was not compiled (yet, or cannot be). */
	CompiledQuery find(String document, String operationName) {
		Optional<CompiledQuery> compiled = this.queries.getIfPresent(new Key(document, operationName));
		return (compiled != null) ? compiled.orElse(null) : null;
	}

	/**
	 * Compiles a document that execution answered without errors, unless that was done before.
	 * @param parserOptions the options it was parsed with, so it parses here as it did there
	 */
	void compile(String document, String operationName, ParserOptions parserOptions) {
		this.queries.get(new Key(document, operationName), key -> parse(document, parserOptions)
			.flatMap(parsed -> CompiledQuery.compile(parsed, operationName, this.source.getObject().schema(),
					field -> this.catalog.getObject().find(field).isPresent(), this.limits, this.cap::reportFields)));
	}

	private static Optional<Document> parse(String document, ParserOptions options) {
		try {
			return Optional.of(Parser.parse(ParserEnvironment.newParserEnvironment()
				.document(document)
				.parserOptions((options != null) ? options : ParserOptions.getDefaultOperationParserOptions())
				.build()));
		}
		catch (RuntimeException unparsable) {
			return Optional.empty();
		}
	}

	private record Key(String document, String operationName) {
	}

}
