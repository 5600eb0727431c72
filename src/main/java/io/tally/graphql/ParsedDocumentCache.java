package io.tally.graphql;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps parsed and validated documents by their text. Front ends and partners send the same few
 * documents with different variables, and parsing plus validating them again was most of a cache
 * hit's server time in the benchmark. Only documents without errors are kept; validation does not
 * depend on variables, and depth, complexity and introspection are still checked per request.
 */
@Configuration(proxyBeanMethods = false)
class ParsedDocumentCache {

	/** Distinct documents kept; a client flooding with new ones only churns this bounded cache. */
	private static final int MAX_DOCUMENTS = 1_000;

	@Bean
	GraphQlSourceBuilderCustomizer parsedDocumentCacheCustomizer() {
		Cache<String, PreparsedDocumentEntry> documents = Caffeine.newBuilder().maximumSize(MAX_DOCUMENTS).build();
		PreparsedDocumentProvider provider = new PreparsedDocumentProvider() {

			@Override
			public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
					Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
				PreparsedDocumentEntry entry = documents.getIfPresent(input.getQuery());
				if (entry == null) {
					entry = parseAndValidate.apply(input);
					if (!entry.hasErrors()) {
						documents.put(input.getQuery(), entry);
					}
				}
				return CompletableFuture.completedFuture(entry);
			}

		};
		return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(provider));
	}

}
