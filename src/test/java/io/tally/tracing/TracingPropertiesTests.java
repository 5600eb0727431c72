package io.tally.tracing;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenant attribute is off unless turned on, also by the environment variable the chart sets. */
class TracingPropertiesTests {

	@Test
	void leavesTheTenantOutUnlessTurnedOn() {
		assertThat(bind(Map.of()).tenantAttribute()).isFalse();
		assertThat(bind(Map.of("TALLY_TRACING_TENANT_ATTRIBUTE", "true")).tenantAttribute()).isTrue();
	}

	private static TracingProperties bind(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					variables));
		ConfigurationPropertySources.attach(environment);
		return Binder.get(environment).bindOrCreate("tally.tracing", TracingProperties.class);
	}

}
