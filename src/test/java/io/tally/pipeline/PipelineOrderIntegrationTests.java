package io.tally.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.tally.graphql.PipelineOrder;
import io.tally.support.IntegrationTestSupport;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.web.filter.ServerHttpObservationFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the request pipeline: the servlet filters around Spring Security and the GraphQL
 * interceptors around execution, in the order {@link PipelineOrder} declares, as the running
 * application really applies them. A new step, or one moved, must be placed here on purpose.
 */
class PipelineOrderIntegrationTests extends IntegrationTestSupport {

	@Autowired
	ApplicationContext context;

	@Autowired
	ObjectProvider<WebGraphQlInterceptor> interceptors;

	@Autowired
	SecurityFilterProperties security;

	@Test
	void runsTheServletFiltersInTheDeclaredOrderAroundAuthentication() {
		List<Step> steps = new ArrayList<>();
		for (Map.Entry<String, Filter> filter : this.context.getBeansOfType(Filter.class).entrySet()) {
			Class<?> type = filter.getValue().getClass();
			if (type.getPackageName().startsWith("io.tally")) {
				steps.add(new Step(type.getSimpleName(), OrderUtils.getOrder(type, Integer.MAX_VALUE)));
			}
		}
		steps.add(new Step("Spring Security", this.security.getOrder()));
		// Spring Boot's, whose span TraceIdFilter names in X-Trace-Id.
		for (FilterRegistrationBean<?> registration : this.context.getBeansOfType(FilterRegistrationBean.class).values()) {
			if (registration.getFilter() instanceof ServerHttpObservationFilter) {
				steps.add(new Step("HTTP server observation", registration.getOrder()));
			}
		}
		steps.sort(Comparator.comparingInt(Step::order));

		assertThat(steps.stream().map(Step::name)).containsExactly("RequestIdFilter", "PageSecurityHeaders",
				"HTTP server observation", "TraceIdFilter", "UnauthorizedAuditFilter", "DuplicateHeaderFilter", "Spring Security", "CallerFilter", "RateLimitFilter",
				"RequestBodyFilter");
		assertThat(this.security.getOrder()).isEqualTo(PipelineOrder.AUTHENTICATION);
	}

	@Test
	void runsTheGraphQlInterceptorsInTheDeclaredOrderForEveryTransport() {
		assertThat(this.interceptors.orderedStream().map(interceptor -> interceptor.getClass().getSimpleName()))
			.containsExactly("TimeoutWebGraphQlInterceptor", "ConnectionAuthentication", "SocketRateInterceptor",
					"SchemaExposureInterceptor", "LiteralValidationMessages",
					"RequestContextInterceptor", "TrustedDocumentsInterceptor", "FieldLimitsInterceptor",
					"RevalidationInterceptor", "ResponseCacheInterceptor", "CompiledQueryInterceptor");
	}

	private record Step(String name, int order) {
	}

}
