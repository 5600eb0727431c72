package io.tally.live;

import io.tally.freshness.ViewsRefreshed;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Every refresh this instance learns of, from any instance (through the NOTIFY listener or the
 * ledger poll), as a stream that live subscriptions follow. A subscriber too slow to keep up
 * misses events rather than holding up the listener.
 */
@Component
class RefreshStream {

	private final Sinks.Many<ViewsRefreshed> sink = Sinks.many().multicast().directBestEffort();

	@EventListener
	synchronized void viewsRefreshed(ViewsRefreshed event) {
		// Events may come from the listener thread and an admin's refresh at once; emission must be
		// serial, so the second waits its turn (a busy loop of 100 ms gave up on a loaded machine).
		this.sink.tryEmitNext(event);
	}

	Flux<ViewsRefreshed> events() {
		return this.sink.asFlux();
	}

}
