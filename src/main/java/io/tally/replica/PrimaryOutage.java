package io.tally.replica;

import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.graphql.DatabaseUnavailableException;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;

/**
 * Fails report reads on the primary fast while it is known to be down. A read whose connection
 * could not be opened (refused, or the server starting up or shutting down) marks it down; from
 * then on reads that need it are refused at once, and at most once a second a background probe
 * tries to open a connection: the first that opens ends the outage. Without this every uncached
 * request would wait out the pool's connection timeout and hold a read slot and a thread
 * meanwhile. A pool whose
 * connections all stayed busy for that wait (slow reads) is refused the same way, but says so
 * and does not count as an outage, since the next read may well find a connection.
 */
@Component
class PrimaryOutage {

	private static final Logger logger = LoggerFactory.getLogger(PrimaryOutage.class);

	private static final long PROBE_INTERVAL = DatabaseUnavailableException.RETRY_AFTER.toNanos();

	private final Counter refusedDown;

	private final Counter refusedBusy;

	private final AtomicBoolean down = new AtomicBoolean();

	private volatile long downSince;

	private final DataSource primary;

	private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "tally-primary-probe");
		thread.setDaemon(true);
		return thread;
	});

	PrimaryOutage(DataSource primary, MeterRegistry meters) {
		this.primary = primary;
		this.refusedDown = refused(meters, "down");
		this.refusedBusy = refused(meters, "busy");
		Gauge.builder("tally.datasource.primary.down", this, outage -> outage.down.get() ? 1 : 0)
			.description("1 while the primary is known to be down and reads that need it are refused at once")
			.register(meters);
	}

	/**
	 * Runs a read on the primary unless it is known to be down.
	 * @throws DatabaseUnavailableException when it is down or its pool had no connection in time
	 */
	<T> T read(Supplier<T> read) {
		if (this.down.get()) {
			this.refusedDown.increment();
			throw down();
		}
		T value;
		try {
			value = read.get();
		}
		catch (RuntimeException ex) {
			if (!noConnection(ex)) {
				if (!unreachable(ex)) {
					// The server answered, even if with an error: it is up.
					up();
				}
				throw ex;
			}
			if (unreachable(ex)) {
				markDown(ex);
				this.refusedDown.increment();
				throw down();
			}
			this.refusedBusy.increment();
			logger.warn("No pooled connection to the primary came free in time: {}", ex.getMessage());
			throw new DatabaseUnavailableException("All report database connections are busy; retry in a moment");
		}
		up();
		return value;
	}

	@PreDestroy
	void stop() {
		this.prober.shutdownNow();
	}

	/**
	 * Tries the primary off the request path, so no reader waits out the connection timeout for it;
	 * a connection that opens and answers ends the outage.
	 */
	private void probe() {
		if (!this.down.get()) {
			return;
		}
		long started = System.nanoTime();
		try (Connection connection = this.primary.getConnection()) {
			if (connection.isValid(1)) {
				up();
				return;
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("The primary database is still down: {}", ex.getMessage());
		}
		// Once a second from the last start: a failed attempt has usually waited out the pool's timeout.
		long wait = Math.max(PROBE_INTERVAL / 10, PROBE_INTERVAL - (System.nanoTime() - started));
		this.prober.schedule(this::probe, wait, TimeUnit.NANOSECONDS);
	}

	private void markDown(Exception ex) {
		if (this.down.compareAndSet(false, true)) {
			this.downSince = System.nanoTime();
			logger.warn("The primary database cannot be reached ({}); report reads that need it are refused "
					+ "until a probe, once a second, reaches it", rootMessage(ex));
			this.prober.schedule(this::probe, PROBE_INTERVAL, TimeUnit.NANOSECONDS);
		}
	}

	private void up() {
		if (this.down.compareAndSet(true, false)) {
			logger.info("The primary database is reachable again after {} ms",
					(System.nanoTime() - this.downSince) / 1_000_000);
		}
	}

	private static DatabaseUnavailableException down() {
		return new DatabaseUnavailableException("The report database is unavailable; retry later");
	}

	private static boolean noConnection(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether opening the connection failed because the server refused or could not take it, as
	 * opposed to every pooled connection being in use: the pool's timeout then carries the last
	 * connection failure's SQLSTATE (08: connection exception, 57P: operator intervention).
	 */
	private static boolean unreachable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root.getMessage();
	}

	private static Counter refused(MeterRegistry meters, String reason) {
		return Counter.builder("tally.datasource.refused")
			.description("Report reads refused at once because the primary was down or its pool had no connection")
			.tag("reason", reason)
			.register(meters);
	}

}
