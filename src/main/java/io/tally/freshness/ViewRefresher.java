package io.tally.freshness;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.tracing.Spans;
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
 * plainly, since PostgreSQL requires that. A scheduled refresh whose source tables did not change
 * since the last successful refresh is skipped, and the ledger says so. Every attempt lands in the
 * ledger, and the commit announces it on the notification channel. A view kept incrementally (a
 * table its change log says what to recompute in, see {@code V7__incremental_views.sql}) gets its
 * routine refresh on schedule and a full rebuild on request or on the slower rebuild schedule.
 */
@Component
public class ViewRefresher {

	private static final Logger logger = LoggerFactory.getLogger(ViewRefresher.class);

	/** How much earlier than its interval a view may be refreshed again, to absorb scheduler jitter. */
	private static final double DUE_FRACTION = 0.9;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final RefreshLedger ledger;

	private final SourceChanges sources;

	private final FreshnessProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final String instance;

	private final Spans spans;

	ViewRefresher(JdbcClient jdbc, PlatformTransactionManager transactionManager, RefreshLedger ledger,
			SourceChanges sources, FreshnessProperties properties, Clock clock, MeterRegistry meters, Spans spans) {
		this.spans = spans;
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.ledger = ledger;
		this.sources = sources;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.instance = instanceName();
	}

	/**
	 * Refreshes a view unless another instance is refreshing it right now or, unless forced, it
	 * was refreshed less than an interval ago or its source tables did not change since.
	 * @param view the view name, from the report catalog only
	 * @param interval the view's refresh interval
	 * @param force refresh even when the last refresh is recent or the sources are unchanged
	 * @return what happened, or empty when another instance holds the lock
	 */
	public Optional<ViewStatus.Outcome> refresh(String view, Duration interval, boolean force) {
		// An admin's refresh rebuilds an incremental view in full: it is also how a miss is healed at once.
		return refresh(view, interval, force, force);
	}

	/**
	 * Rebuilds an incremental view in full unless it was rebuilt less than an interval ago or
	 * another instance is refreshing it right now.
	 * @param view the view name, from the report catalog only
	 * @param interval how often it is rebuilt
	 * @return what happened, or empty when another instance holds the lock
	 */
	Optional<ViewStatus.Outcome> rebuild(String view, Duration interval) {
		return refresh(view, interval, false, true);
	}

	/** Whether a view is kept incrementally, so it also has a rebuild schedule. */
	boolean incremental(String view) {
		return this.jdbc.sql("SELECT EXISTS (SELECT 1 FROM tally.incremental_views WHERE view_name = :view)")
			.param("view", view)
			.query(Boolean.class)
			.single();
	}

	/** In a span of its own: a scheduled refresh starts a trace, an admin's is a child of the request's. */
	private Optional<ViewStatus.Outcome> refresh(String view, Duration interval, boolean force, boolean full) {
		return Spans.observe(
				this.spans.span("tally.view.refresh", "view refresh", null)
					.highCardinalityKeyValue("tally.view", view)
					.highCardinalityKeyValue("tally.refresh.full", String.valueOf(full)),
				() -> attempt(view, interval, force, full),
				outcome -> outcome.map(ViewStatus.Outcome::column).orElse("busy").toLowerCase(Locale.ROOT));
	}

	private Optional<ViewStatus.Outcome> attempt(String view, Duration interval, boolean force, boolean full) {
		Instant started = this.clock.instant();
		Optional<ViewStatus.Outcome> outcome;
		try {
			outcome = this.transaction.execute(status -> refreshLocked(view, interval, force, full, started));
		}
		catch (RuntimeException ex) {
			recordFailure(view, started, rootMessage(ex));
			outcome = Optional.of(ViewStatus.Outcome.FAILED);
		}
		String tag = outcome.map(ViewStatus.Outcome::column).orElse("busy");
		attempts(this.meters, view, tag).increment();
		if (outcome.isPresent() && outcome.get() != ViewStatus.Outcome.SKIPPED) {
			Timer.builder("tally.refresh.duration")
				.description("How long view refreshes took, by outcome")
				.tag("view", view)
				.tag("outcome", tag)
				.register(this.meters)
				.record(Duration.between(started, this.clock.instant()));
		}
		return outcome;
	}

	/** Refresh attempts of a view by outcome: success, failed, skipped, busy (another instance had it) or quiet. */
	static Counter attempts(MeterRegistry meters, String view, String outcome) {
		return Counter.builder("tally.refresh.attempts")
			.description("Scheduled and requested refreshes of a view, by outcome")
			.tag("view", view)
			.tag("outcome", outcome.toLowerCase(Locale.ROOT))
			.register(meters);
	}

	private Optional<ViewStatus.Outcome> refreshLocked(String view, Duration interval, boolean force, boolean full,
			Instant started) {
		boolean locked = this.jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended('tally.refresh.' || :view, 0))")
			.param("view", view)
			.query(Boolean.class)
			.single();
		if (!locked) {
			return Optional.empty();
		}
		// Another instance may have refreshed, or found nothing to refresh, just before this one got the lock.
		Duration due = Duration.ofMillis((long) (interval.toMillis() * DUE_FRACTION));
		if (!force && (full ? this.ledger.rebuiltWithin(view, due) : this.ledger.refreshedWithin(view, due))) {
			return Optional.of(ViewStatus.Outcome.SKIPPED);
		}
		// An incremental view counts as populated once it was built in full.
		boolean populated = Boolean.TRUE.equals(this.jdbc.sql("""
				SELECT coalesce((SELECT ispopulated FROM pg_matviews WHERE schemaname = 'mv' AND matviewname = :view),
				                (SELECT rebuilt_at IS NOT NULL FROM tally.incremental_views WHERE view_name = :view))
				""")
			.param("view", view)
			.query(Boolean.class)
			.single());
		// Read before the refresh: a change committed meanwhile then shows up as a difference next time.
		String fingerprint = populated ? this.sources.fingerprint(view) : null;
		if (!force && !full && fingerprint != null && fingerprint.equals(this.ledger.lastRefreshFingerprint(view))) {
			this.ledger.record(view,
					new ViewStatus.Attempt(ViewStatus.Outcome.SKIPPED, started, this.clock.instant(), null, null),
					this.instance, fingerprint);
			notifyRefreshed(view);
			logger.debug("Skipped refreshing mv.{}: its source tables did not change", view);
			return Optional.of(ViewStatus.Outcome.SKIPPED);
		}
		this.jdbc.sql("SELECT set_config('statement_timeout', :timeout, true)")
			.param("timeout", String.valueOf(this.properties.refreshTimeout().toMillis()))
			.query()
			.singleRow();
		long rows = this.jdbc.sql("SELECT tally.refresh_view(:view, :concurrently, :full)")
			.param("view", view)
			.param("concurrently", populated)
			.param("full", full)
			.query(Long.class)
			.single();
		this.ledger.record(view, new ViewStatus.Attempt(ViewStatus.Outcome.SUCCESS, started, this.clock.instant(), rows,
				null), this.instance, fingerprint);
		notifyRefreshed(view);
		logger.info("{} mv.{}: {} rows in {} ms", full ? "Rebuilt" : "Refreshed", view, rows,
				Duration.between(started, this.clock.instant()).toMillis());
		return Optional.of(ViewStatus.Outcome.SUCCESS);
	}

	private void recordFailure(String view, Instant started, String error) {
		logger.warn("Refreshing mv.{} failed: {}", view, error);
		try {
			this.transaction.executeWithoutResult(status -> {
				this.ledger.record(view,
						new ViewStatus.Attempt(ViewStatus.Outcome.FAILED, started, this.clock.instant(), null, error),
						this.instance, null);
				notifyRefreshed(view);
			});
		}
		catch (RuntimeException ex) {
			// The database is likely unreachable; the next attempt tries again.
			logger.warn("Could not record the failed refresh of mv.{}: {}", view, rootMessage(ex));
		}
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
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
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
