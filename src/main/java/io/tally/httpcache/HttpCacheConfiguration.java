package io.tally.httpcache;

import io.tally.documents.TrustedDocuments;
import io.tally.pipeline.DocumentPlans;
import io.tally.tenancy.TenancyProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Routes GET requests on the GraphQL path to {@link GetQueryHandler}, ahead of Spring for
 * GraphQL's own routes, which accept POST only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class HttpCacheConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	RouterFunction<ServerResponse> graphQlGetRoute(GraphQlProperties properties, WebGraphQlHandler graphQl,
			TrustedDocuments documents, DocumentPlans plans, AnswerTags tags, TenancyProperties tenancy) {
		GetQueryHandler handler = new GetQueryHandler(graphQl, documents, plans, tags, tenancy.tenantHeader());
		return RouterFunctions.route(RequestPredicates.GET(properties.getHttp().getPath()), handler::handle);
	}

}
