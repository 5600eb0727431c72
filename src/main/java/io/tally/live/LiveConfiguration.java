package io.tally.live;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.server.WebGraphQlHandler;

/**
 * Serves subscriptions over Server-Sent Events with {@link LiveSseHandler} instead of Spring for
 * GraphQL's own handler (whose auto-configuration backs off), with the same
 * {@code spring.graphql.http.sse.*} timeout and keep-alive.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class LiveConfiguration {

	@Bean
	LiveSseHandler liveSseHandler(WebGraphQlHandler handler, GraphQlProperties properties) {
		GraphQlProperties.Sse sse = properties.getHttp().getSse();
		return new LiveSseHandler(handler, sse.getTimeout(), sse.getKeepAlive());
	}

}
