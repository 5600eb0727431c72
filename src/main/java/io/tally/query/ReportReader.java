package io.tally.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.observation.Observation;
import io.tally.cache.CacheKey;
import io.tally.cache.CacheProperties;
import io.tally.cache.ReportCache;
import io.tally.catalog.ReportDefinition;
import io.tally.catalog.ReportSection;
import io.tally.freshness.ViewStatus;
import io.tally.freshness.ViewsRefreshed;
import io.tally.replica.ReadRoute;
import io.tally.replica.ReadRouting;
import io.tally.tracing.Spans;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Answers a report read from the tenant's cache or the view, and keeps the refresh from turning
 * every tenant's next request into a miss: it counts how often each answer is asked for, and when
 * a view's data changes it reads the most-asked answers of that view again under the new data, on
 * one background thread (so at most one connection's worth of extra load), tenants taking turns.
 */
@Component
class ReportReader {

	private static final Logger logger = LoggerFactory.getLogger(ReportReader.class);

	private final ReportCache cache;

	private final ReportQueryRepository repository;

	private final ReadRouting routing;

	private final ReportArguments arguments;

	private final CacheProperties properties;

	private final Spans spans;

	/** Recently asked reads and how often; bounded, and forgotten when not asked for a while. */
	private final Cache<Read, LongAdder> asked;

	private final ExecutorService warmer = Executors.newSingleThreadExecutor(runnable -> {
		Thread thread = new Thread(runnable, "tally-cache-warm-up");
		thread.setDaemon(true);
		return thread;
	});

	ReportReader(ReportCache cache, ReportQueryRepository repository, ReadRouting routing, ReportArguments arguments,
			CacheProperties properties, Spans spans) {
		this.spans = spans;
		this.cache = cache;
		this.repository = repository;
		this.routing = routing;
		this.arguments = arguments;
		this.properties = properties;
		this.asked = Caffeine.newBuilder()
			.maximumSize(Math.max(1, 10L * properties.warmUpKeys()))
			.expireAfterAccess(properties.maxAge())
			.build();
	}

	/**
	 * The answer and the view status it was read under.
	 * @param slot runs a read that reaches the database, e.g. in one of the tenant's read slots
	 */
	Answer read(Read read, Function<Supplier<ReportData>, ReportData> slot) {
		asked(read);
		return routed(read, slot);
	}

	/**
	 * Reads on the source the route picks; generation and freshness come from that source's copy
	 * of the ledger, so a lagging replica's rows are cached under its own older generation.
	 */
	private Answer routed(Read read, Function<Supplier<ReportData>, ReportData> slot) {
		try (ReadRoute route = this.routing.route(read.report())) {
			boolean touchesHistory = this.arguments.touchesHistory(read.report(), read.arguments(), read.tenant());
			ViewStatus status = route.status(read.report(), touchesHistory);
			Observation span = this.spans.span("tally.report.cache", "report cache lookup", read.tenant())
				.highCardinalityKeyValue("tally.report", read.report().field());
			ReportCache.Lookup<ReportData> lookup = Spans.observe(span,
					() -> lookup(read, status, () -> slot.apply(() -> route.read(() -> load(read, route.source())))),
					found -> found.hit() ? "hit" : "miss");
			return new Answer(lookup.value(), lookup.hit(), status, touchesHistory);
		}
	}

	/**
	 * The cached answer, or the one loaded. Rows execution read and cached for the same answer
	 * serve a read that would write them as JSON as they are, so that request is answered from the
	 * cache exactly when execution's would be; only without them are rows read to be written.
	 */
	private ReportCache.Lookup<ReportData> lookup(Read read, ViewStatus status, Supplier<ReportData> loader) {
		CacheKey key = key(read, status);
		if (!read.layouts().isEmpty() && !this.cache.contains(key)) {
			ReportData rows = this.cache.peek(key(read.asRows(), status));
			if (rows != null) {
				return new ReportCache.Lookup<>(rows, true);
			}
		}
		return this.cache.get(key, loader, ReportData::retainedBytes);
	}

	/** Counts one more request for this answer, also when a whole kept answer was sent. */
	void asked(Read read) {
		if (this.properties.warmUpKeys() > 0) {
			this.asked.get(read, r -> new LongAdder()).increment();
		}
	}

	@EventListener
	@Order(Ordered.LOWEST_PRECEDENCE)
	void viewsRefreshed(ViewsRefreshed event) {
		if (this.properties.warmUpKeys() == 0 || !this.properties.enabled()) {
			return;
		}
		List<Read> hottest = hottest(Set.copyOf(event.views()));
		if (!hottest.isEmpty()) {
			this.warmer.execute(() -> warm(hottest));
		}
	}

	/** Most-asked first within each tenant; tenants take turns, the busiest tenant first. */
	List<Read> hottest(Set<String> views) {
		Map<String, List<Map.Entry<Read, LongAdder>>> byTenant = this.asked.asMap()
			.entrySet()
			.stream()
			.filter(entry -> entry.getKey().report().materializedViews().stream().anyMatch(views::contains))
			.sorted(Comparator.comparingLong((Map.Entry<Read, LongAdder> entry) -> entry.getValue().sum()).reversed())
			.collect(Collectors.groupingBy(entry -> entry.getKey().tenant(), LinkedHashMap::new, Collectors.toList()));
		List<Read> turns = new ArrayList<>();
		for (int rank = 0; rank < this.properties.warmUpKeysPerTenant(); rank++) {
			for (List<Map.Entry<Read, LongAdder>> tenant : byTenant.values()) {
				if (rank < tenant.size() && turns.size() < this.properties.warmUpKeys()) {
					turns.add(tenant.get(rank).getKey());
				}
			}
		}
		return turns;
	}

	private void warm(List<Read> reads) {
		long started = System.nanoTime();
		int loaded = 0;
		for (Read read : reads) {
			try {
				// A reader asking meanwhile shares this load, or this one finds the reader's.
				if (!routed(read, Supplier::get).hit()) {
					loaded++;
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Warm-up read of {} for tenant {} failed; the next reader reads it", read.report().field(),
						read.tenant(), ex);
			}
		}
		logger.debug("Warmed {} of {} answers after a refresh in {} ms", loaded, reads.size(),
				(System.nanoTime() - started) / 1_000_000);
	}

	private ReportData load(Read read, String source) {
		long started = System.nanoTime();
		MDC.put("tenant", read.tenant());
		MDC.put("report", read.report().field());
		try {
			ReportData data = this.repository.read(read.report(), read.tenant(), read.arguments(), read.sections(), read.layouts());
			// DEBUG: an INFO line per read was measurable under load; audit events stay at INFO.
			logger.debug("Read {} for tenant {} from view {} on {} in {} ms", read.report().field(), read.tenant(),
					read.report().view(), source, (System.nanoTime() - started) / 1_000_000);
			return data;
		}
		finally {
			MDC.remove("tenant");
			MDC.remove("report");
		}
	}

	private static CacheKey key(Read read, ViewStatus status) {
		return new CacheKey(read.tenant(), read.report().field(), status.generation(), read.arguments().cacheKey(),
				read.sections().stream().map(ReportSection::field).collect(Collectors.toUnmodifiableSet()), read.layouts());
	}

	@PreDestroy
	void stop() {
		this.warmer.shutdownNow();
	}

	/**
	 * One read a request asks for.
	 * @param report the report
	 * @param tenant the tenant
	 * @param arguments its arguments, resolved
	 * @param sections the sections the selection touches
	 * @param layouts by section field, how the request writes its rows; empty to read them as maps
	 */
	record Read(ReportDefinition report, String tenant, ResolvedArguments arguments, List<ReportSection> sections,
			Map<String, RowLayout> layouts) {

		/** The same read with its rows read as maps, as execution reads them. */
		Read asRows() {
			return new Read(this.report, this.tenant, this.arguments, this.sections, Map.of());
		}
	}

	/**
	 * @param data the sections read and when
	 * @param hit whether it came from the cache
	 * @param status the view's status it was read under
	 * @param touchesHistory whether its range reached the history part of a split view
	 */
	record Answer(ReportData data, boolean hit, ViewStatus status, boolean touchesHistory) {
	}

}
