package io.tally.query;

import java.util.HashMap;
import java.util.Map;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.tally.cache.CacheKey;
import io.tally.cache.ReportCache;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.FreshnessPolicy;
import io.tally.freshness.LedgerSnapshot;
import io.tally.freshness.ViewStatus;
import io.tally.limits.ReadBulkhead;
import io.tally.tenancy.Caller;
import io.tally.tenancy.TenantResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.stereotype.Component;

/**
 * The one data fetcher behind every {@code @report} field: it checks who may read which tenant,
 * resolves the arguments, answers from the tenant's cache or the view, and adds the answer's
 * freshness, computed now.
 */
@Component
class ReportDataFetcher implements DataFetcher<Map<String, Object>> {

	private static final Logger audit = LoggerFactory.getLogger("io.tally.audit");

	private static final Logger logger = LoggerFactory.getLogger(ReportDataFetcher.class);

	private final ReportCatalog catalog;

	private final TenantResolver tenants;

	private final ReportArguments arguments;

	private final LedgerSnapshot ledger;

	private final ReportCache cache;

	private final ReportQueryRepository repository;

	private final FreshnessPolicy freshness;

	private final ReadBulkhead bulkhead;

	ReportDataFetcher(ReportCatalog catalog, TenantResolver tenants, ReportArguments arguments, LedgerSnapshot ledger,
			ReportCache cache, ReportQueryRepository repository, FreshnessPolicy freshness, ReadBulkhead bulkhead) {
		this.catalog = catalog;
		this.tenants = tenants;
		this.arguments = arguments;
		this.ledger = ledger;
		this.cache = cache;
		this.repository = repository;
		this.freshness = freshness;
		this.bulkhead = bulkhead;
	}

	@Override
	public Map<String, Object> get(DataFetchingEnvironment environment) {
		ReportDefinition report = this.catalog.find(environment.getFieldDefinition().getName()).orElseThrow();
		Caller caller = this.tenants.resolve(environment);
		if (caller.admin()) {
			audit.atInfo()
				.addKeyValue("event", "admin-read")
				.addKeyValue("subject", caller.subject())
				.addKeyValue("tenant", caller.tenantId())
				.addKeyValue("report", report.field())
				.log("Admin {} read {} of tenant {}", caller.subject(), report.field(), caller.tenantId());
		}
		ResolvedArguments resolved = this.arguments.resolve(report, environment.getArguments(), caller.tenantId());
		ViewStatus status = this.ledger.status(report.view());
		CacheKey key = new CacheKey(caller.tenantId(), report.field(), status.generation(), resolved.cacheKey());
		ReportCache.Lookup<ReportData> answer = this.cache.get(key, () -> this.bulkhead
			.read(environment.getGraphQlContext(), caller.tenantId(), () -> read(report, caller.tenantId(), resolved)));
		Map<String, Object> result = new HashMap<>(answer.value().sections());
		result.put("freshness",
				this.freshness.describe(report, status, answer.hit() ? answer.value().readAt() : null));
		return result;
	}

	private ReportData read(ReportDefinition report, String tenant, ResolvedArguments arguments) {
		long started = System.nanoTime();
		MDC.put("tenant", tenant);
		MDC.put("report", report.field());
		try {
			ReportData data = this.repository.read(report, tenant, arguments);
			// DEBUG: an INFO line per read was measurable under load; audit events stay at INFO.
			logger.debug("Read {} for tenant {} from view {} in {} ms", report.field(), tenant, report.view(),
					(System.nanoTime() - started) / 1_000_000);
			return data;
		}
		finally {
			MDC.remove("tenant");
			MDC.remove("report");
		}
	}

}
