package io.tally.freshness;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's ledger snapshot in step with refreshes made by any instance. It holds one
 * dedicated connection that LISTENs on the refresh channel and wakes on each notification or, at
 * the latest, every poll interval, then re-reads the ledger, which announces the views whose data
 * changed (the cache drops their answers). A lost connection is re-opened and every view announced
 * as changed, since notifications may have been missed while it was down.
 */
@Component
class RefreshListener implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RefreshListener.class);

	/** How the listener's backend shows in pg_stat_activity, so operators and tests can find it. */
	static final String APPLICATION_NAME = "tally-refresh-listener";

	private final DataSource dataSource;

	private final LedgerWatch ledgerWatch;

	private final FreshnessProperties properties;

	private final Counter reconnects;

	private volatile boolean running;

	private volatile Thread thread;

	private volatile Connection connection;

	RefreshListener(DataSource dataSource, LedgerWatch ledgerWatch, FreshnessProperties properties,
			MeterRegistry meters) {
		this.dataSource = dataSource;
		this.ledgerWatch = ledgerWatch;
		this.properties = properties;
		this.reconnects = Counter.builder("tally.refresh.listener.reconnects")
			.description("Times the refresh listener lost its connection and re-opened it")
			.register(meters);
	}

	@Override
	public void start() {
		this.running = true;
		Thread listener = new Thread(this::listen, "tally-refresh-listener");
		listener.setDaemon(true);
		this.thread = listener;
		listener.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread listener = this.thread;
		if (listener != null) {
			listener.interrupt();
		}
		closeQuietly();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void listen() {
		boolean reconnecting = false;
		while (this.running) {
			try (Connection listening = openDedicated()) {
				this.connection = listening;
				try {
					listenOn(listening, reconnecting);
				}
				finally {
					reconnecting = true;
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (this.running) {
					logger.warn("Refresh listener lost its connection: {}", ex.getMessage());
					sleep();
				}
			}
		}
	}

	private void listenOn(Connection listening, boolean reconnecting) throws SQLException {
		listening.setClientInfo("ApplicationName", APPLICATION_NAME);
		try (Statement statement = listening.createStatement()) {
			statement.execute("LISTEN " + this.properties.channel());
		}
		if (reconnecting) {
			this.ledgerWatch.notificationsMissed();
			this.reconnects.increment();
			logger.info("Refresh listener reconnected; every view announced as changed");
		}
		this.ledgerWatch.reload();
		PGConnection postgres = listening.unwrap(PGConnection.class);
		while (this.running) {
			PGNotification[] notifications = postgres
				.getNotifications((int) this.properties.pollInterval().toMillis());
			if (notifications == null || notifications.length == 0) {
				// Also a liveness check: a dead connection throws here.
				try (Statement ping = listening.createStatement()) {
					ping.execute("SELECT 1");
				}
			}
			this.ledgerWatch.reload();
		}
	}

	/**
	 * A connection outside the pool: the listener holds it for good, so taking it from the pool
	 * would leave a pool of one with nothing for requests.
	 */
	private Connection openDedicated() throws SQLException {
		if (this.dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
			Properties properties = new Properties();
			properties.putAll(hikari.getDataSourceProperties());
			if (hikari.getUsername() != null) {
				properties.setProperty("user", hikari.getUsername());
			}
			if (hikari.getPassword() != null) {
				properties.setProperty("password", hikari.getPassword());
			}
			return DriverManager.getConnection(hikari.getJdbcUrl(), properties);
		}
		return this.dataSource.getConnection();
	}

	private void sleep() {
		try {
			Thread.sleep(Math.min(5_000, this.properties.pollInterval().toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Aborts rather than closes: the listener thread holds the connection's lock while it waits for
	 * notifications, so close() would wait out a whole poll interval and stall every shutdown.
	 */
	private void closeQuietly() {
		Connection open = this.connection;
		if (open != null) {
			try {
				open.abort(Runnable::run);
			}
			catch (SQLException ex) {
				// Shutting down anyway.
			}
		}
	}

}
