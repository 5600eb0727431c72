package io.tally.pipeline;

import io.tally.documents.TrustedDocuments;
import io.tally.graphql.PipelineOrder;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * Holds the tokens of issuers marked {@code trusted-documents-only} (partners) to the registered
 * documents: anything else is refused before it is parsed, so such a client can run only the
 * operations it was built with.
 */
@Component
@Order(PipelineOrder.TRUSTED_DOCUMENTS)
class TrustedDocumentsInterceptor implements WebGraphQlInterceptor {

	private final TrustedDocuments documents;

	TrustedDocumentsInterceptor(TrustedDocuments documents) {
		this.documents = documents;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		RequestContext context = RequestContext.of(request);
		if (!context.caller().trustedDocumentsOnly() || this.documents.isTrusted(request.getDocument())) {
			return chain.next(request);
		}
		return Refusals.refuse(request, ErrorType.FORBIDDEN, "This client may send only trusted documents; send a "
				+ "registered document's id as extensions.persistedQuery.sha256Hash");
	}

}
