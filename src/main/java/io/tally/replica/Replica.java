package io.tally.replica;

import java.net.URI;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One read replica: its own small connection pool and what its last check found.
 */
final class Replica implements AutoCloseable {

	private final String name;

	private final HikariDataSource pool;

	private final JdbcClient jdbc;

	private volatile ReplicaState state = ReplicaState.UNCHECKED;

	Replica(String name, HikariDataSource pool) {
		this.name = name;
		this.pool = pool;
		this.jdbc = JdbcClient.create(pool);
	}

	/**
	 * How a replica is named in metrics, health and logs: host, port and database of its URL,
	 * never its parameters, which may hold a password.
	 */
	static String name(String jdbcUrl) {
		URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
		String host = (uri.getHost() != null) ? uri.getHost() : "localhost";
		int port = (uri.getPort() != -1) ? uri.getPort() : 5432;
		String path = (uri.getPath() != null) ? uri.getPath() : "";
		return host + ":" + port + path;
	}

	String name() {
		return this.name;
	}

	HikariDataSource pool() {
		return this.pool;
	}

	JdbcClient jdbc() {
		return this.jdbc;
	}

	ReplicaState state() {
		return this.state;
	}

	void state(ReplicaState state) {
		this.state = state;
	}

	@Override
	public void close() {
		this.pool.close();
	}

}
