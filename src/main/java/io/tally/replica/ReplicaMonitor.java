package io.tally.replica;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.RefreshLedger;
import io.tally.freshness.ViewStatus;
import io.tally.freshness.ViewsRefreshed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Checks every replica each interval: whether it is still in recovery, how far its replay is
 * behind the primary's WAL, and its copy of the refresh ledger, which says what data it holds.
 * A replica found promoted clears the cache: between its promotion and this check it may have
 * served rows that are no longer the primary's, and its ledger ids may now name other refreshes.
 */
@Component
class ReplicaMonitor {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaMonitor.class);

	private final List<Replica> replicas;

	private final JdbcClient primary;

	private final ApplicationEventPublisher events;

	private final List<String> views;

	private final List<String> reports;

	private final ReplicaProperties properties;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final WalPositions wal;

	ReplicaMonitor(ReplicaPools pools, JdbcClient primary, ApplicationEventPublisher events, ReportCatalog catalog,
			ReplicaProperties properties, TaskScheduler scheduler, Clock clock) {
		this.replicas = pools.all();
		this.primary = primary;
		this.events = events;
		this.views = catalog.views();
		this.reports = catalog.all().stream().map(ReportDefinition::field).toList();
		this.properties = properties;
		this.scheduler = scheduler;
		this.clock = clock;
		// Positions are kept long enough to tell the lag of a replica behind the most patient report.
		Duration horizon = catalog.all()
			.stream()
			.map(ReportDefinition::maxStaleness)
			.max(Duration::compareTo)
			.orElse(Duration.ofHours(1))
			.multipliedBy(2);
		this.wal = new WalPositions(horizon);
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		if (this.replicas.isEmpty()) {
			return;
		}
		check();
		this.scheduler.scheduleWithFixedDelay(this::check, this.properties.checkInterval());
	}

	void check() {
		Instant now = this.clock.instant();
		try {
			this.wal.record(this.primary.sql("SELECT (pg_current_wal_lsn() - '0/0')::bigint").query(Long.class).single(),
					now);
		}
		catch (DataAccessException ex) {
			// Lags are then measured against the last position seen; the replicas may be all there is.
			logger.debug("Cannot read the primary's WAL position: {}", ex.getMessage());
		}
		for (Replica replica : this.replicas) {
			ReplicaState before = replica.state();
			ReplicaState after = inspect(replica, now);
			replica.state(after);
			if (after.condition() != before.condition()) {
				changed(replica, before, after);
			}
		}
	}

	private ReplicaState inspect(Replica replica, Instant now) {
		try {
			// The ledger first: a replica still in recovery after it was read cannot have been promoted
			// before, so the copy is the primary's, never one a promoted replica wrote meanwhile.
			Map<String, ViewStatus> ledger = RefreshLedger.statuses(replica.jdbc(), this.views);
			Replay replay = replica.jdbc()
				.sql("SELECT pg_is_in_recovery() AS in_recovery, (pg_last_wal_replay_lsn() - '0/0')::bigint AS replayed")
				.query((rs, row) -> new Replay(rs.getBoolean("in_recovery"), rs.getLong("replayed")))
				.single();
			if (!replay.inRecovery()) {
				return new ReplicaState(ReplicaState.Condition.PROMOTED, null, Map.of(), now, null);
			}
			return new ReplicaState(ReplicaState.Condition.FOLLOWING, this.wal.lag(replay.replayed(), now), ledger, now,
					null);
		}
		catch (DataAccessException ex) {
			return ReplicaState.down(ex.getMostSpecificCause().getMessage(), now);
		}
	}

	private void changed(Replica replica, ReplicaState before, ReplicaState after) {
		switch (after.condition()) {
			case FOLLOWING -> logger.info("Replica {} is following the primary; reads may go to it", replica.name());
			case DOWN -> logger.warn("Replica {} is down; reads skip it: {}", replica.name(), after.error());
			case PROMOTED -> {
				logger.warn("Replica {} is out of recovery (promoted); reads skip it and the cache is cleared",
						replica.name());
				// As after missed notifications: any cached answer may hold what the primary never had.
				this.events.publishEvent(new ViewsRefreshed(this.views, this.reports, true));
			}
			default -> logger.debug("Replica {} went from {} to {}", replica.name(), before.condition(),
					after.condition());
		}
	}

	private record Replay(boolean inRecovery, long replayed) {
	}

}
