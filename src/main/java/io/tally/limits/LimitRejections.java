package io.tally.limits;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counts refused requests by the limit that refused them, never by tenant, so the number of
 * series stays small: {@code tally.limits.rejections} with {@code reason} = {@code rate},
 * {@code reads} or {@code fields}.
 */
@Component
public class LimitRejections {

	private final MeterRegistry registry;

	LimitRejections(MeterRegistry registry) {
		this.registry = registry;
	}

	public void count(String reason) {
		this.registry.counter("tally.limits.rejections", "reason", reason).increment();
	}

}
