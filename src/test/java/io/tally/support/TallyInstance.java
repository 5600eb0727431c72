package io.tally.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.tally.TallyApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another gateway instance in this JVM: its own Spring context, connection pool, listener and
 * cache, on a random port, against this run's database, as a second pod behind the Service would
 * be. Schedules are off unless a test turns them on.
 */
public final class TallyInstance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private TallyInstance(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * @param properties overrides, e.g. a different {@code spring.datasource.url}; a null value
	 * leaves the property unset
	 */
	public static TallyInstance start(Map<String, String> properties) {
		TestDatabase database = TestDatabase.get();
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("server.port", "0");
		defaults.put("management.server.port", "0");
		defaults.put("spring.datasource.url", database.jdbcUrl());
		defaults.put("spring.datasource.username", database.username());
		defaults.put("spring.datasource.password", database.password());
		defaults.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestIssuer.get().jwksUri());
		defaults.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestIssuer.ISSUER);
		defaults.put("spring.security.oauth2.resourceserver.jwt.audiences", TestIssuer.AUDIENCE);
		defaults.put("tally.freshness.scheduler-enabled", "false");
		defaults.put("tally.freshness.poll-interval", "1s");
		defaults.put("spring.datasource.hikari.minimum-idle", "1");
		defaults.put("tally.limits.requests-per-second", "1000");
		defaults.put("tally.limits.burst", "1000");
		defaults.put("spring.datasource.hikari.idle-timeout", "10000");
		defaults.put("tally.cache.warm-up-keys", "0");
		defaults.putAll(properties);
		defaults.values().removeIf(Objects::isNull);
		String[] arguments = defaults.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
		return new TallyInstance(new SpringApplicationBuilder(TallyApplication.class).run(arguments));
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	/** The actuator's own port. */
	public int managementPort() {
		return Integer.parseInt(this.context.getEnvironment().getProperty("local.management.port"));
	}

	public GraphQlHttp graphQl() {
		return new GraphQlHttp(port());
	}

	@Override
	public void close() {
		this.context.close();
	}

}
