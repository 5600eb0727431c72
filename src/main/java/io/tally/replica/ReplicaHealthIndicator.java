package io.tally.replica;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code readReplicas} (group {@code replicas}): one detail per replica (following, lagging, down, promoted or
 * unchecked, its lag and when it was checked); down while replicas are configured and none of
 * them follows the primary. Not a probe: the primary can still serve reads (see
 * {@code tally.datasource.primary-fallback}), and every instance sees the same replicas.
 */
@Component("readReplicas")
class ReplicaHealthIndicator implements HealthIndicator {

	private final List<Replica> replicas;

	ReplicaHealthIndicator(ReplicaPools pools) {
		this.replicas = pools.all();
	}

	@Override
	public Health health() {
		Map<String, Object> details = new LinkedHashMap<>();
		boolean anyFollowing = this.replicas.isEmpty();
		for (Replica replica : this.replicas) {
			ReplicaState state = replica.state();
			anyFollowing |= state.condition() == ReplicaState.Condition.FOLLOWING;
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("state", state.condition().name().toLowerCase(Locale.ROOT));
			detail.put("lagSeconds", (state.lag() != null) ? state.lag().toMillis() / 1000.0 : null);
			detail.put("checkedAt", (state.checkedAt() != null) ? state.checkedAt().toString() : null);
			if (state.error() != null) {
				detail.put("error", state.error());
			}
			details.put(replica.name(), detail);
		}
		return (anyFollowing ? Health.up() : Health.down()).withDetail("replicas", details).build();
	}

}
