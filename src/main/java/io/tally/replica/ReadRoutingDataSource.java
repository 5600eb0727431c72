package io.tally.replica;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/**
 * The data source report reads use: the connection comes from the source the current request's
 * route chose, the primary unless a route on this thread says otherwise. Routing at the data
 * source keeps the report query code unaware of replicas.
 */
final class ReadRoutingDataSource extends AbstractRoutingDataSource {

	private static final ThreadLocal<String> current = new ThreadLocal<>();

	ReadRoutingDataSource(DataSource primary, List<Replica> replicas) {
		Map<Object, Object> targets = new HashMap<>();
		replicas.forEach(replica -> targets.put(replica.name(), replica.pool()));
		setTargetDataSources(targets);
		setDefaultTargetDataSource(primary);
		setLenientFallback(false);
		afterPropertiesSet();
	}

	/** Routes this thread's reads to a replica by name, or to the primary with null. */
	static void use(String replica) {
		if (replica == null) {
			current.remove();
		}
		else {
			current.set(replica);
		}
	}

	@Override
	protected Object determineCurrentLookupKey() {
		return current.get();
	}

}
