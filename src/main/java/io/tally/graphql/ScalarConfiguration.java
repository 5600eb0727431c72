package io.tally.graphql;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * The scalars every report schema may use: Date and DateTime (ISO-8601,
 * DateTime with microseconds), Long (cents, exact past 64 bits), Decimal (exact, two places).
 */
@Configuration(proxyBeanMethods = false)
class ScalarConfiguration {

	@Bean
	RuntimeWiringConfigurer scalars() {
		return wiring -> wiring.scalar(DateScalar.INSTANCE)
			.scalar(DateTimeScalar.INSTANCE)
			.scalar(LongScalar.INSTANCE)
			.scalar(DecimalScalar.INSTANCE);
	}

}
