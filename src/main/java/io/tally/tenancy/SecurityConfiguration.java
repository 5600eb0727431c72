package io.tally.tenancy;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

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

	/** Tokens of WebSocket connections, checked by the same decoder as every HTTP request's. */
	@Bean
	ConnectionTokens connectionTokens(JwtDecoder decoder, TrustedIssuers issuers) {
		return new ConnectionTokens(new TokenAuthentication(decoder, issuers));
	}

	/** {@code decoder} is the {@link TokenDecoder}, or whatever the application puts in front of it. */
	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, JwtDecoder decoder, TrustedIssuers issuers,
			TenancyProperties properties, HttpCorsProperties cors, GraphQlProperties graphQl) throws Exception {
		String socketPath = graphQl.getWebsocket().getPath();
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/graphiql/**", "/demo/**",
					"/portal/**", "/webjars/**", "/error")
			.permitAll()
			// A WebSocket's token comes in its first message, which ConnectionAuthentication checks.
			.requestMatchers(request -> isWebSocketHandshake(request, socketPath))
			.permitAll()
			.anyRequest()
			.authenticated())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			// Answers preflights before authentication: a browser never sends a token with one.
			.cors(configurer -> configurer.configurationSource(corsSource(cors, properties.tenantHeader())))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(new UnauthorizedResponse()))
			.oauth2ResourceServer(server -> server.authenticationManagerResolver(new TokenAuthentication(decoder, issuers))
				.bearerTokenResolver(new BearerTokenHeader())
				.authenticationEntryPoint(new UnauthorizedResponse()))
			// A stateless API: no sign-out, no saved request to replay after a sign-in.
			.logout(logout -> logout.disable())
			.requestCache(cache -> cache.disable())
			// Nothing asks the servlet request who the caller is (getUserPrincipal, isUserInRole):
			// every step reads the request context or the security context. The filter would wrap
			// every request in one more layer that each later header and attribute read goes through.
			.servletApi(servletApi -> servletApi.disable());
		return http.build();
	}

	/** Spring Security's strict firewall, with a cheaper check of header values that allows the same ones. */
	@Bean
	HttpFirewall httpFirewall() {
		return HeaderValues.firewall();
	}

	private static boolean isWebSocketHandshake(HttpServletRequest request, String socketPath) {
		return socketPath != null && socketPath.equals(request.getServletPath()) && "GET".equals(request.getMethod())
				&& "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
	}

	/**
	 * Registered even with no origin allowed, so a preflight from an unknown origin is refused as a
	 * CORS request (403) rather than as a missing token.
	 */
	private static CorsConfigurationSource corsSource(HttpCorsProperties properties, String tenantHeader) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOriginPatterns(properties.allowedOrigins());
		cors.setAllowCredentials(properties.allowCredentials());
		cors.setAllowedMethods(List.of("GET", "POST"));
		cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "If-None-Match",
				tenantHeader));
		cors.setExposedHeaders(List.of("ETag", "Cache-Control", "WWW-Authenticate"));
		cors.setMaxAge(properties.maxAge());
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/graphql", cors);
		source.registerCorsConfiguration("/graphql/**", cors);
		return source;
	}

}
