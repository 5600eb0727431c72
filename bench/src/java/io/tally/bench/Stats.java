package io.tally.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * One measurement's figures: requests, errors, throughput and latency percentiles in milliseconds.
 */
record Stats(long requests, long errors, double seconds, double throughput, double p50, double p95, double p99,
		double max) {

	static Stats of(Histogram micros, long errors, double seconds) {
		long count = micros.getTotalCount();
		return new Stats(count, errors, seconds, (seconds > 0) ? count / seconds : 0,
				ms(micros, 50), ms(micros, 95), ms(micros, 99), (count > 0) ? micros.getMaxValue() / 1000.0 : 0);
	}

	static Stats empty() {
		return new Stats(0, 0, 0, 0, 0, 0, 0, 0);
	}

	private static double ms(Histogram micros, double percentile) {
		return (micros.getTotalCount() > 0) ? micros.getValueAtPercentile(percentile) / 1000.0 : 0;
	}

	Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("requests", this.requests);
		json.put("errors", this.errors);
		json.put("seconds", round(this.seconds));
		json.put("throughputPerSecond", round(this.throughput));
		json.put("p50Ms", round(this.p50));
		json.put("p95Ms", round(this.p95));
		json.put("p99Ms", round(this.p99));
		json.put("maxMs", round(this.max));
		return json;
	}

	static double round(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

}
