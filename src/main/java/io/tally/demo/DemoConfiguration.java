package io.tally.demo;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.nimbusds.jose.JOSEException;
import com.zaxxer.hikari.HikariDataSource;
import io.tally.catalog.ReportCatalog;
import io.tally.freshness.ReportRefresh;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo: with no database configured, Tally finds or starts a PostgreSQL, trusts a signing key
 * of its own and prints tokens made with it. None of this exists once a database URL is set.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatabaseConfigured.class)
class DemoConfiguration {

	@Bean(destroyMethod = "close")
	DemoDatabase demoDatabase(Environment environment) {
		String database = environment.getProperty("tally.demo.database", "tally_demo");
		if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
			throw new IllegalStateException("tally.demo.database must be a lower-case SQL identifier, not '" + database + "'");
		}
		return DemoDatabase.start(database);
	}

	@Bean
	DataSource dataSource(DemoDatabase database) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(database.jdbcUrl());
		dataSource.setUsername(database.username());
		dataSource.setPoolName("tally-demo");
		return dataSource;
	}

	@Bean
	DemoKeys demoKeys() {
		return new DemoKeys();
	}

	@Bean
	JwtDecoder demoJwtDecoder(DemoKeys keys) throws JOSEException {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(keys.publicKey().toRSAPublicKey()).build();
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(DemoKeys.ISSUER),
				new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
						audience -> audience != null && audience.contains(DemoKeys.AUDIENCE))));
		return decoder;
	}

	@Bean
	DemoTokens demoTokens(DemoKeys keys) {
		return new DemoTokens(keys);
	}

	@Bean
	DemoDataLoader demoDataLoader(DataSource dataSource, DemoTokens tokens, ReportCatalog catalog, ReportRefresh refresh,
			Environment environment) {
		return new DemoDataLoader(dataSource, tokens, catalog, refresh, environment);
	}

	/** Publishes the demo key the way an identity provider would. */
	@RestController
	@Conditional(NoDatabaseConfigured.class)
	static class DemoJwksController {

		private final DemoKeys keys;

		DemoJwksController(DemoKeys keys) {
			this.keys = keys;
		}

		@GetMapping("/demo/jwks.json")
		Map<String, Object> jwks() {
			return this.keys.jwks();
		}

	}

}
