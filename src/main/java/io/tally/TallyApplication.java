package io.tally;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Tally: typed, tenant-scoped GraphQL reports served from PostgreSQL materialized views.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TallyApplication {

	/** One clock for "today", ages and ledger times, so tests can pin it. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	public static void main(String[] args) {
		SpringApplication.run(TallyApplication.class, args);
	}

}
