package io.tally.support;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * What the application writes to the security and audit logger {@code io.tally.audit} while a
 * test listens, as each event's key-value pairs.
 */
public final class AuditEvents {

	private final ListAppender<ILoggingEvent> events = new ListAppender<>();

	private final Logger audit = (Logger) LoggerFactory.getLogger("io.tally.audit");

	public void start() {
		this.events.list.clear();
		this.events.start();
		this.audit.addAppender(this.events);
	}

	public void stop() {
		this.audit.detachAppender(this.events);
		this.events.stop();
	}

	/** The key-value pairs of the captured events of one kind ({@code event=kind}). */
	public List<Map<String, String>> of(String kind) {
		return this.events.list.stream()
			.map(event -> event.getKeyValuePairs()
				.stream()
				.collect(Collectors.toMap((KeyValuePair pair) -> pair.key, pair -> String.valueOf(pair.value),
						(first, second) -> second)))
			.filter(pairs -> kind.equals(pairs.get("event")))
			.toList();
	}

	/** Every captured event as raw logging events, for their time and message. */
	public List<ILoggingEvent> all() {
		return this.events.list;
	}

}
