package io.tally.tenancy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every GraphQL request needs a valid bearer token (signature, issuer, audience and expiry are
 * checked by Spring Security's resource server from the standard
 * {@code spring.security.oauth2.resourceserver.jwt.*} properties). Which tenant it reads is
 * decided later, per field, by {@link TenantResolver}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

	/** Prefix of the authorities made from the roles claim. */
	static final String ROLE_PREFIX = "ROLE_";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, TenancyProperties properties) throws Exception {
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/graphiql/**", "/demo/**",
					"/error")
			.permitAll()
			.anyRequest()
			.authenticated())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(converter(properties))));
		return http.build();
	}

	/** Scopes become {@code SCOPE_x} authorities as usual; the roles claim becomes {@code ROLE_x}. */
	private static Converter<Jwt, AbstractAuthenticationToken> converter(TenancyProperties properties) {
		JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
		return jwt -> {
			Collection<GrantedAuthority> authorities = new ArrayList<>(scopes.convert(jwt));
			List<String> roles = jwt.hasClaim(properties.rolesClaim()) ? ClaimValues.strings(jwt, properties.rolesClaim())
					: List.of();
			roles.forEach(role -> authorities.add(new SimpleGrantedAuthority(ROLE_PREFIX + role)));
			return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
		};
	}

}
