package io.tally.replica;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.tally.catalog.ReportDefinition;
import io.tally.freshness.LedgerSnapshot;
import io.tally.graphql.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Chooses where a report is read: a replica that follows the primary closely enough for the
 * report's allowed staleness, taking turns among them, else the primary when allowed. The answer's
 * cache generation and freshness then come from the chosen source's own copy of the ledger (see
 * {@link ReadRoute}).
 */
@Component
public class ReadRouting {

	private static final Logger logger = LoggerFactory.getLogger(ReadRouting.class);

	/** PostgreSQL's SQLSTATE for a query a standby cancelled because replay needed its rows. */
	private static final String RECOVERY_CONFLICT = "40001";

	private final List<Replica> replicas;

	private final LedgerSnapshot primaryLedger;

	private final ReplicaProperties properties;

	private final ReplicaMeters meters;

	private final DataSource reads;

	private final PrimaryOutage outage;

	private final AtomicInteger turn = new AtomicInteger();

	ReadRouting(ReplicaPools pools, LedgerSnapshot primaryLedger, ReplicaProperties properties, ReplicaMeters meters,
			DataSource primary, PrimaryOutage outage) {
		this.replicas = pools.all();
		this.outage = outage;
		this.primaryLedger = primaryLedger;
		this.properties = properties;
		this.meters = meters;
		this.reads = this.replicas.isEmpty() ? primary : new ReadRoutingDataSource(primary, this.replicas);
	}

	/** The data source report queries run on; within a route it reaches the route's source. */
	public DataSource dataSource() {
		return this.reads;
	}

	/**
	 * Where to read this report now. Close the route when the request is done with it.
	 * @throws UnavailableException when no replica may serve it and the primary may not either
	 */
	public ReadRoute route(ReportDefinition report) {
		int count = this.replicas.size();
		int first = Math.floorMod(this.turn.getAndIncrement(), Math.max(1, count));
		for (int i = 0; i < count; i++) {
			Replica replica = this.replicas.get((first + i) % count);
			String reason = replica.state().unusableFor(report.maxStaleness());
			if (reason == null) {
				return new ReadRoute(this, replica, this.primaryLedger);
			}
			this.meters.skipped(replica.name(), reason).increment();
		}
		if (count > 0 && !this.properties.primaryFallback()) {
			logger.warn("No read replica can serve {} now and primary fallback is off", report.field());
			throw new UnavailableException("No read replica can serve this report now; retry later");
		}
		return new ReadRoute(this, null, this.primaryLedger);
	}

	/**
	 * The ledger copies of the sources whose data may answer all these reports now: each replica
	 * that could be routed every one of them, then the primary, whose data is never older than a
	 * replica's. A kept answer is current while one of them holds the generations it was read
	 * under, and is then described from that copy, never from a copy whose data it does not hold.
	 */
	public List<LedgerCopy> copies(Collection<ReportDefinition> reports) {
		LedgerCopy primary = new LedgerCopy(ReadRoute.PRIMARY, this.primaryLedger.statuses());
		if (this.replicas.isEmpty()) {
			return List.of(primary);
		}
		List<LedgerCopy> copies = new ArrayList<>(this.replicas.size() + 1);
		for (Replica replica : this.replicas) {
			ReplicaState state = replica.state();
			if (reports.stream().allMatch(report -> state.unusableFor(report.maxStaleness()) == null)) {
				copies.add(new LedgerCopy(replica.name(), state.ledger()));
			}
		}
		copies.add(primary);
		return copies;
	}

	/**
	 * Runs a read on the route's source; the primary only while it is not known to be down
	 * ({@link PrimaryOutage}). A replica that cannot be reached is marked down and the
	 * read runs again on the primary, as is one a standby cancelled for a replay conflict; the
	 * primary's data is never older than a replica's, so the answer's freshness, taken from the
	 * replica's ledger, still never claims more than it has.
	 */
	<T> T read(ReadRoute route, Supplier<T> read) {
		Replica replica = route.replica();
		if (replica == null) {
			T value = this.outage.read(read);
			this.meters.reads(ReadRoute.PRIMARY).increment();
			return value;
		}
		try {
			T value = read.get();
			this.meters.reads(route.source()).increment();
			return value;
		}
		catch (RuntimeException ex) {
			if (!this.properties.primaryFallback() || !(unreachable(ex) || recoveryConflict(ex))) {
				throw ex;
			}
			if (unreachable(ex)) {
				replica.state(ReplicaState.down(ex.getMessage(), java.time.Instant.now()));
			}
			logger.warn("Read from replica {} failed ({}); reading from the primary", replica.name(), ex.getMessage());
			ReadRoutingDataSource.use(null);
			T value = this.outage.read(read);
			this.meters.reads(ReadRoute.PRIMARY).increment();
			return value;
		}
	}

	private static boolean unreachable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof CannotCreateTransactionException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
				return true;
			}
		}
		return false;
	}

	private static boolean recoveryConflict(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && RECOVERY_CONFLICT.equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

}
