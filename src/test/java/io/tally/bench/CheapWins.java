package io.tally.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Two of the "cheap wins", evaluated in the bench's own context without changing the
 * application, switched on for one set of measurements only ({@link #enabled}): a cache of parsed and validated GraphQL documents (graphql-java's
 * PreparsedDocumentProvider, keyed by the document text), and a cache of validated tokens
 * (the JwtDecoder wrapped; a token is served from the cache only until its own expiry).
 */
final class CheapWins {

	/** Off unless a measurement switches it on: off, both caches pass every call straight through. */
	static volatile boolean enabled;

	private CheapWins() {
	}

	static ApplicationContextInitializer<GenericApplicationContext> initializer() {
		return context -> {
			context.registerBean("benchParsedDocuments", GraphQlSourceBuilderCustomizer.class,
					() -> builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(new Documents())));
			context.registerBean("benchTokenCache", BeanPostProcessor.class, () -> new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof JwtDecoder decoder && !(bean instanceof CachingDecoder))
							? new CachingDecoder(decoder) : bean;
				}
			});
		};
	}

	/** Parsed and validated documents by their text; the variables are not part of the key. */
	static final class Documents implements PreparsedDocumentProvider {

		private final Cache<String, PreparsedDocumentEntry> cache = Caffeine.newBuilder().maximumSize(1000).build();

		@Override
		public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
				Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
			if (!enabled) {
				return CompletableFuture.completedFuture(parseAndValidate.apply(input));
			}
			PreparsedDocumentEntry entry = this.cache.getIfPresent(input.getQuery());
			if (entry == null) {
				entry = parseAndValidate.apply(input);
				if (!entry.hasErrors()) {
					this.cache.put(input.getQuery(), entry);
				}
			}
			return CompletableFuture.completedFuture(entry);
		}

	}

	/** Validated tokens by their text, each until its own expiry; failures are never cached. */
	static final class CachingDecoder implements JwtDecoder {

		private final JwtDecoder delegate;

		private final Cache<String, Jwt> cache = Caffeine.newBuilder()
			.maximumSize(10_000)
			.expireAfterWrite(Duration.ofMinutes(5))
			.build();

		CachingDecoder(JwtDecoder delegate) {
			this.delegate = delegate;
		}

		@Override
		public Jwt decode(String token) throws JwtException {
			if (!enabled) {
				return this.delegate.decode(token);
			}
			Jwt jwt = this.cache.getIfPresent(token);
			if (jwt != null && jwt.getExpiresAt() != null && jwt.getExpiresAt().isAfter(Instant.now())) {
				return jwt;
			}
			jwt = this.delegate.decode(token);
			this.cache.put(token, jwt);
			return jwt;
		}

	}

}
