package io.tally.freshness;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refreshes one materialized view. Instances share the work through a transaction-level advisory
 * lock: whoever gets it refreshes, the others skip at once instead of queueing a second refresh.
 * {@code CONCURRENTLY} keeps readers unblocked; only a view that was never populated is refreshed
 * plainly, since PostgreSQL requires that. Every attempt lands in the ledger, and the commit
 * announces it on the notification channel.
 */
@Component
public class ViewRefresher {

	private static final Logger logger = LoggerFactory.getLogger(ViewRefresher.class);

	/** How much earlier than its interval a view may be refreshed again, to absorb scheduler jitter. */
	private static final double DUE_FRACTION = 0.9;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final RefreshLedger ledger;

	private final FreshnessProperties properties;

	private final Clock clock;

	private final String instance;

	ViewRefresher(JdbcClient jdbc, PlatformTransactionManager transactionManager, RefreshLedger ledger,
			FreshnessProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.ledger = ledger;
		this.properties = properties;
		this.clock = clock;
		this.instance = instanceName();
	}

	/**
	 * Refreshes a view unless another instance is refreshing it right now or, unless forced, it
	 * was refreshed less than an interval ago.
	 * @param view the view name, from the report catalog only
	 * @param interval the view's refresh interval
	 * @param force refresh even when the last refresh is recent
	 * @return what happened, or empty when another instance holds the lock
	 */
	public Optional<ViewStatus.Outcome> refresh(String view, Duration interval, boolean force) {
		Instant started = this.clock.instant();
		try {
			return this.transaction.execute(status -> refreshLocked(view, interval, force, started));
		}
		catch (RuntimeException ex) {
			String error = rootMessage(ex);
			logger.warn("Refreshing mv.{} failed: {}", view, error);
			this.transaction.executeWithoutResult(status -> {
				this.ledger.record(view,
						new ViewStatus.Attempt(ViewStatus.Outcome.FAILED, started, this.clock.instant(), null, error),
						this.instance);
				notifyRefreshed(view);
			});
			return Optional.of(ViewStatus.Outcome.FAILED);
		}
	}

	private Optional<ViewStatus.Outcome> refreshLocked(String view, Duration interval, boolean force, Instant started) {
		boolean locked = this.jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended('tally.refresh.' || :view, 0))")
			.param("view", view)
			.query(Boolean.class)
			.single();
		if (!locked) {
			return Optional.empty();
		}
		if (!force && refreshedRecently(view, interval)) {
			return Optional.of(ViewStatus.Outcome.SKIPPED);
		}
		boolean populated = this.jdbc.sql("SELECT ispopulated FROM pg_matviews WHERE schemaname = 'mv' AND matviewname = :view")
			.param("view", view)
			.query(Boolean.class)
			.single();
		this.jdbc.sql("SELECT set_config('statement_timeout', :timeout, true)")
			.param("timeout", String.valueOf(this.properties.refreshTimeout().toMillis()))
			.query()
			.singleRow();
		long rows = this.jdbc.sql("SELECT tally.refresh_view(:view, :concurrently)")
			.param("view", view)
			.param("concurrently", populated)
			.query(Long.class)
			.single();
		this.ledger.record(view, new ViewStatus.Attempt(ViewStatus.Outcome.SUCCESS, started, this.clock.instant(), rows,
				null), this.instance);
		notifyRefreshed(view);
		logger.info("Refreshed mv.{}: {} rows in {} ms", view, rows,
				Duration.between(started, this.clock.instant()).toMillis());
		return Optional.of(ViewStatus.Outcome.SUCCESS);
	}

	/** Another instance may have refreshed just before this one got the lock. */
	private boolean refreshedRecently(String view, Duration interval) {
		long dueMillis = (long) (interval.toMillis() * DUE_FRACTION);
		return this.jdbc.sql("""
				SELECT EXISTS (
				    SELECT 1 FROM tally.refresh_ledger
				    WHERE view_name = :view AND outcome = 'success'
				      AND started_at > now() - make_interval(secs => :dueMillis / 1000.0))
				""")
			.param("view", view)
			.param("dueMillis", dueMillis)
			.query(Boolean.class)
			.single();
	}

	private void notifyRefreshed(String view) {
		// Delivered on commit, so listeners never hear of a refresh that rolled back.
		this.jdbc.sql("SELECT pg_notify(:channel, :view)")
			.param("channel", this.properties.channel())
			.param("view", view)
			.query()
			.singleRow();
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
	}

	private static String instanceName() {
		try {
			return InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
		}
		catch (UnknownHostException ex) {
			return "pid-" + ProcessHandle.current().pid();
		}
	}

}
