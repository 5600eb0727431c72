package io.tally.query;

import io.tally.graphql.GraphQlLimitsProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request timeout is only honest if PostgreSQL stops the query first: Tally refuses to start
 * when a report statement may outlive its request.
 */
class StatementTimeoutCheckTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class, StatementTimeoutCheck.class);

	@Test
	void startsWhenTheStatementTimeoutIsShorterThanTheRequestTimeout() {
		this.contexts.withPropertyValues("tally.graphql.request-timeout=3s", "tally.query.statement-timeout=2s")
			.run(context -> assertThat(context).hasNotFailed().hasSingleBean(StatementTimeoutCheck.class));
	}

	@Test
	void refusesToStartWhenAStatementMayOutliveItsRequest() {
		this.contexts.withPropertyValues("tally.graphql.request-timeout=3s", "tally.query.statement-timeout=3s")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("tally.query.statement-timeout")
				.hasMessageContaining("tally.graphql.request-timeout"));
	}

	@Test
	void refusesToStartWhenTheDefaultStatementTimeoutOutlivesAShortRequestTimeout() {
		this.contexts.withPropertyValues("tally.graphql.request-timeout=1s")
			.run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("(PT5S)"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ QueryProperties.class, GraphQlLimitsProperties.class })
	static class Properties {

	}

}
