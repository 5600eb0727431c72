package io.tally.documents;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import io.tally.graphql.InterceptorOrder;
import io.tally.tenancy.TenantResolver;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * Holds the tokens of issuers marked {@code trusted-documents-only} (partners) to the registered
 * documents: anything else is refused before it is parsed, so such a client can run only the
 * operations it was built with.
 */
@Component
@Order(InterceptorOrder.TRUSTED_DOCUMENTS)
class TrustedDocumentsInterceptor implements WebGraphQlInterceptor {

	private final TrustedDocuments documents;

	private final TenantResolver tenants;

	TrustedDocumentsInterceptor(TrustedDocuments documents, TenantResolver tenants) {
		this.documents = documents;
		this.tenants = tenants;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!this.tenants.currentCallerLimitedToTrustedDocuments() || this.documents.isTrusted(request.getDocument())) {
			return chain.next(request);
		}
		ExecutionResult refused = ExecutionResult.newExecutionResult()
			.addError(GraphqlErrorBuilder.newError()
				.errorType(ErrorType.FORBIDDEN)
				.message("This client may send only trusted documents; send a registered document's id as "
						+ "extensions.persistedQuery.sha256Hash")
				.build())
			.build();
		return Mono.just(new WebGraphQlResponse(
				new DefaultExecutionGraphQlResponse(request.toExecutionInput(), refused)));
	}

}
