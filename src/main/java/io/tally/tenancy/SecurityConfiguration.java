package io.tally.tenancy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every GraphQL request needs a valid bearer token from a trusted issuer, checked by the
 * {@link TokenDecoder} before anything runs; a bad token is a 401. Which tenant it reads is
 * decided later, per field, by {@link TenantResolver}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

	@Bean
	TrustedIssuers trustedIssuers(TenancyProperties properties, ObjectProvider<OAuth2ResourceServerProperties> standard,
			ObjectProvider<ApplicationIssuer> application) {
		OAuth2ResourceServerProperties resourceServer = standard.getIfAvailable();
		return TrustedIssuers.of(properties, (resourceServer != null) ? resourceServer.getJwt() : null,
				application.getIfAvailable());
	}

	@Bean
	TokenDecoder tokenDecoder(TrustedIssuers issuers, TenancyProperties properties) {
		return new TokenDecoder(issuers, properties);
	}

	/** {@code decoder} is the {@link TokenDecoder}, or whatever the application puts in front of it. */
	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, JwtDecoder decoder, TrustedIssuers issuers)
			throws Exception {
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/graphiql/**", "/demo/**",
					"/error")
			.permitAll()
			.anyRequest()
			.authenticated())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.oauth2ResourceServer(server -> server.authenticationManagerResolver(new TokenAuthentication(decoder, issuers)));
		return http.build();
	}

}
