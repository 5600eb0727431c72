package io.tally.tenancy;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every GraphQL request needs a valid bearer token from a trusted issuer: signature (asymmetric
 * algorithms only), issuer, audience, expiry and not-before are checked before anything runs, and
 * a bad token is a 401. Which tenant it reads is decided later, per field, by
 * {@link TenantResolver}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, TenancyProperties properties,
			ObjectProvider<OAuth2ResourceServerProperties> standard, ObjectProvider<JwtDecoder> applicationDecoder)
			throws Exception {
		OAuth2ResourceServerProperties resourceServer = standard.getIfAvailable();
		AuthenticationManagerResolver<HttpServletRequest> issuers = TrustedIssuers.resolver(properties,
				(resourceServer != null) ? resourceServer.getJwt() : null, applicationDecoder.getIfAvailable());
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/graphiql/**", "/demo/**",
					"/error")
			.permitAll()
			.anyRequest()
			.authenticated())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.oauth2ResourceServer(server -> server.authenticationManagerResolver(issuers));
		return http.build();
	}

}
