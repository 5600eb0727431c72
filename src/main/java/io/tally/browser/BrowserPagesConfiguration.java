package io.tally.browser;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The pages a browser loads from Tally itself: GraphiQL at {@code /graphiql} (its scripts from
 * WebJars in the jar, never a CDN) and, in the demo or when enabled, the example portal at
 * {@code /portal/}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class BrowserPagesConfiguration implements WebMvcConfigurer {

	private final boolean portal;

	BrowserPagesConfiguration(PortalProperties properties, Environment environment) {
		this.portal = properties.servedWith(!environment.containsProperty("spring.datasource.url"));
	}

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController("/graphiql").setViewName("forward:/graphiql/index.html");
		registry.addViewController("/graphiql/").setViewName("forward:/graphiql/index.html");
		if (this.portal) {
			registry.addRedirectViewController("/portal", "/portal/");
			registry.addViewController("/portal/").setViewName("forward:/portal/index.html");
		}
	}

	/** The demo's tokens for the portal's sign-in; an empty list anywhere else. */
	@Bean
	RouterFunction<ServerResponse> portalSignInTokens(ObjectProvider<SignInTokens> tokens) {
		return RouterFunctions.route(RequestPredicates.GET("/portal/sign-in-tokens.json").and(request -> this.portal),
				request -> ServerResponse.ok()
					.header(HttpHeaders.CACHE_CONTROL, "no-store")
					.body(tokens.stream().flatMap(source -> source.tokens().stream()).toList()));
	}

	/** The same tokens for GraphiQL's demo-user picker; an empty list outside the demo, where GraphiQL is unchanged. */
	@Bean
	RouterFunction<ServerResponse> graphiqlSignInTokens(ObjectProvider<SignInTokens> tokens) {
		return RouterFunctions.route(RequestPredicates.GET("/graphiql/sign-in-tokens.json"),
				request -> ServerResponse.ok()
					.header(HttpHeaders.CACHE_CONTROL, "no-store")
					.body(tokens.stream().flatMap(source -> source.tokens().stream()).toList()));
	}

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		if (this.portal) {
			registry.addResourceHandler("/portal/**").addResourceLocations("classpath:/portal/");
		}
	}

}
