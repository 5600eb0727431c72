package io.tally.browser;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The management port (health, metrics) runs in a child context of its own, which the API port's
 * filters do not reach; its answers carry the same security headers, so no response of this
 * application can be framed or run anything from elsewhere, whichever port served it. Listed in
 * {@code ManagementContextConfiguration.imports} and deliberately not a {@code @Configuration}, so
 * component scanning leaves it to the management context alone.
 */
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
class ManagementSecurityHeaders {

	@Bean
	FilterRegistrationBean<PageSecurityHeaders> managementSecurityHeaders() {
		FilterRegistrationBean<PageSecurityHeaders> registration = new FilterRegistrationBean<>(new PageSecurityHeaders());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
