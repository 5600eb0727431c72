package io.tally.documents;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Trusted documents: GraphQL operations registered at start-up, which clients may send by id
 * (the SHA-256 of the text) and issuers marked {@code trusted-documents-only} are held to.
 *
 * @param locations Resource patterns of the {@code .graphql} files to register, e.g.
 * {@code file:/etc/tally/documents/*.graphql}; the example portal's are included by default
 */
@ConfigurationProperties("tally.documents")
public record DocumentsProperties(
		@DefaultValue({ "classpath*:documents/**/*.graphql", "classpath*:portal/graphql/*.graphql" }) List<String> locations) {
}
