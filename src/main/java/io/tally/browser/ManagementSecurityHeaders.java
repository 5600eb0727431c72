package io.tally.browser;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The management port (health, metrics) runs in a child context of its own, which the API port's
 * filters do not reach; its answers carry the same security headers, so no response of this
 * application can be framed or run anything from elsewhere, whichever port served it.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementSecurityHeaders {

	@Bean
	FilterRegistrationBean<PageSecurityHeaders> managementSecurityHeaders() {
		FilterRegistrationBean<PageSecurityHeaders> registration = new FilterRegistrationBean<>(new PageSecurityHeaders());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
