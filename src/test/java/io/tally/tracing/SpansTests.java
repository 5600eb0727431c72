package io.tally.tracing;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** What Tally's spans carry: an outcome always, the tenant only when turned on, never a message. */
class SpansTests {

	private final List<Observation.Context> stopped = new ArrayList<>();

	private final ObservationRegistry registry = ObservationRegistry.create();

	SpansTests() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public void onStop(Observation.Context context) {
				SpansTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}
		});
	}

	@Test
	void carriesTheTenantOnlyWhenTheOperatorTurnsItOn() {
		Spans.observe(new Spans(this.registry, new TracingProperties(null, false)).span("tally.test", "test", "acme"), () -> 1,
				result -> "done");
		Spans.observe(new Spans(this.registry, new TracingProperties(null, true)).span("tally.test", "test", "acme"), () -> 1,
				result -> "done");

		assertThat(this.stopped.get(0).getHighCardinalityKeyValue(Spans.TENANT)).isNull();
		assertThat(this.stopped.get(1).getHighCardinalityKeyValue(Spans.TENANT)).isEqualTo(KeyValue.of(Spans.TENANT, "acme"));
		assertThat(this.stopped).allSatisfy(context -> {
			assertThat(context.getContextualName()).isEqualTo("test");
			assertThat(context.getLowCardinalityKeyValues()).containsExactly(KeyValue.of(Spans.OUTCOME, "done"));
		});
	}

	@Test
	void endsAFailureAsAnErrorWithItsTypeButNotItsMessage() {
		Spans spans = new Spans(this.registry, new TracingProperties(null, false));

		assertThatIllegalStateException().isThrownBy(() -> Spans.observe(spans.span("tally.test", "test", null), () -> {
			throw new IllegalStateException("invalid input syntax for type date: \"2026-13-45\"");
		}, result -> "done"));

		Observation.Context context = this.stopped.get(0);
		assertThat(context.getLowCardinalityKeyValues()).containsExactly(KeyValue.of(Spans.OUTCOME, "error"));
		assertThat(context.getHighCardinalityKeyValue("error.type")).isEqualTo(KeyValue.of("error.type", "IllegalStateException"));
		assertThat(context.getError()).isNull();
	}

}
