package io.tally.replica;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Where report reads went and why replicas were passed over, tagged by replica, never by tenant.
 */
@Component
class ReplicaMeters {

	private final MeterRegistry registry;

	ReplicaMeters(MeterRegistry registry, ReplicaPools pools) {
		this.registry = registry;
		for (Replica replica : pools.all()) {
			Gauge.builder("tally.replica.lag", replica, ReplicaMeters::lagSeconds)
				.description("Seconds the replica's replayed data is behind the primary; NaN when it is not following")
				.baseUnit("seconds")
				.tag("replica", replica.name())
				.register(registry);
		}
	}

	/** Report reads that ran SQL, by the source that answered: "primary" or a replica. */
	Counter reads(String source) {
		return Counter.builder("tally.replica.reads")
			.description("Report reads from the database, by the source that served them")
			.tag("source", source)
			.register(this.registry);
	}

	/** Times a replica was passed over for a read: down, promoted, lagging or unchecked. */
	Counter skipped(String replica, String reason) {
		return Counter.builder("tally.replica.skipped")
			.description("Report reads a replica was passed over for, by reason")
			.tag("replica", replica)
			.tag("reason", reason)
			.register(this.registry);
	}

	private static double lagSeconds(Replica replica) {
		ReplicaState state = replica.state();
		return (state.condition() == ReplicaState.Condition.FOLLOWING) ? state.lag().toMillis() / 1000.0 : Double.NaN;
	}

}
