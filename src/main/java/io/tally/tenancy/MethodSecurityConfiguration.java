package io.tally.tenancy;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/**
 * {@code @PreAuthorize} on controller methods (the admin operations), and every method call it
 * refuses to a verified caller in the security log, as every other {@code FORBIDDEN} is.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class MethodSecurityConfiguration {

	@Bean
	AuthorizationEventPublisher authorizationEventPublisher(ApplicationEventPublisher publisher) {
		return new SpringAuthorizationEventPublisher(publisher);
	}

	@EventListener
	void denied(AuthorizationDeniedEvent<?> event) {
		// Requests without a token are refused earlier, as 401s, and logged as such.
		if (event.getAuthentication().get() instanceof TenantAuthentication token) {
			Audit.forbidden(token.getName(), token.issuer(), null, "Only admins may do this");
		}
	}

}
