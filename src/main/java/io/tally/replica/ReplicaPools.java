package io.tally.replica;

import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * The configured replicas, each with a read-only pool that logs in as the primary's serving login
 * does ({@code spring.datasource.username}/{@code password}). The pools are deliberately not
 * {@link DataSource} beans: the application's one DataSource stays the primary, so migrations,
 * refreshes, the ledger and LISTEN can only ever reach the primary.
 */
@Component
class ReplicaPools implements DisposableBean {

	private final List<Replica> replicas;

	ReplicaPools(ReplicaProperties properties, ObjectProvider<DataSourceProperties> primary) {
		this.replicas = properties.replicas()
			.stream()
			.map(url -> new Replica(Replica.name(url), pool(url, properties, primary.getObject())))
			.toList();
	}

	List<Replica> all() {
		return this.replicas;
	}

	private static HikariDataSource pool(String url, ReplicaProperties properties, DataSourceProperties primary) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(primary.determineUsername());
		config.setPassword(primary.determinePassword());
		config.setReadOnly(true);
		config.setMaximumPoolSize(properties.poolSize());
		config.setMinimumIdle(0);
		config.setConnectionTimeout(properties.connectionTimeout().toMillis());
		// Do not fail start-up when a replica is down: it is skipped until a check finds it up.
		config.setInitializationFailTimeout(-1);
		config.setPoolName("tally-replica-" + Replica.name(url));
		return new HikariDataSource(config);
	}

	@Override
	public void destroy() {
		this.replicas.forEach(Replica::close);
	}

}
