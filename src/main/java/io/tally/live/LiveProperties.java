package io.tally.live;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many live subscriptions (GraphQL subscriptions over Server-Sent Events) an instance holds.
 * Heartbeats are Spring's {@code spring.graphql.http.sse.keep-alive}.
 *
 * @param maxSubscribers The most open subscriptions on this instance, all tenants together
 * @param maxSubscribersPerTenant The most open subscriptions one tenant may hold on this instance,
 * so one tenant cannot take every stream
 */
@Validated
@ConfigurationProperties("tally.live")
public record LiveProperties(@DefaultValue("20") @Min(1) int maxSubscribersPerTenant,
		@DefaultValue("1000") @Min(1) int maxSubscribers) {
}
