package io.tally.socket;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * The open GraphQL WebSockets, each with the subscriptions still waiting for their last message,
 * so a connection whose token expired closes right after the last "complete" has been written and
 * not before (Spring for GraphQL's handler writes from a thread of its own and keeps its sessions
 * to itself).
 */
@Component
class OpenSockets {

	/** How long an ending connection waits for its subscriptions' last messages before it closes anyway. */
	private static final Duration LAST_MESSAGES = Duration.ofSeconds(5);

	/** Spring writes a message's members in the order id, payload, type. */
	private static final Pattern LAST_MESSAGE = Pattern
		.compile("^\\{\"id\":\"(?<id>[^\"]*)\",.*\"type\":\"(?:complete|error)\"}$", Pattern.DOTALL);

	private final Map<String, Connection> connections = new ConcurrentHashMap<>();

	/** The session Spring's handler is given: it reports each message written. */
	WebSocketSession opened(WebSocketSession session) {
		return this.connections.computeIfAbsent(session.getId(), id -> new Connection(session)).written;
	}

	WebSocketSession session(WebSocketSession session) {
		Connection connection = this.connections.get(session.getId());
		return (connection != null) ? connection.written : session;
	}

	void closed(WebSocketSession session) {
		this.connections.remove(session.getId());
	}

	/** A subscription started: the connection waits for its "complete" or "error" before an expiry closes it. */
	void subscribed(String sessionId, String id) {
		Connection connection = this.connections.get(sessionId);
		if (connection != null) {
			connection.waiting.add(id);
		}
	}

	/** The client stopped a subscription: no last message will come for it. */
	void cancelled(String sessionId, String id) {
		Connection connection = this.connections.get(sessionId);
		if (connection != null) {
			connection.done(id);
		}
	}

	/**
	 * The code the connection closes with when Spring's handler closes it next: Spring closes a
	 * refused {@code connection_init} with 4401, graphql-ws servers with 4403.
	 */
	void refuse(String sessionId, CloseStatus status) {
		Connection connection = this.connections.get(sessionId);
		if (connection != null) {
			connection.refusal = status;
		}
	}

	/** Closes a connection once its subscriptions' last messages are written, within {@link #LAST_MESSAGES}. */
	void closeAfterLastMessages(String sessionId, CloseStatus status) {
		Connection connection = this.connections.get(sessionId);
		if (connection == null) {
			return;
		}
		connection.ending = status;
		if (connection.waiting.isEmpty()) {
			connection.close(status);
		}
		else {
			Mono.delay(LAST_MESSAGES).subscribe(tick -> connection.close(status));
		}
	}

	/** How many GraphQL WebSockets are open on this instance. */
	int count() {
		return this.connections.size();
	}

	private static final class Connection {

		private final WebSocketSession session;

		private final WebSocketSession written;

		private final Set<String> waiting = ConcurrentHashMap.newKeySet();

		private volatile CloseStatus ending;

		private volatile CloseStatus refusal;

		Connection(WebSocketSession session) {
			this.session = session;
			this.written = new WebSocketSessionDecorator(session) {

				@Override
				public void sendMessage(WebSocketMessage<?> message) throws IOException {
					super.sendMessage(message);
					if (message instanceof TextMessage text) {
						Matcher last = LAST_MESSAGE.matcher(text.getPayload());
						if (last.matches()) {
							done(last.group("id"));
						}
					}
				}

				@Override
				public void close(CloseStatus status) throws IOException {
					CloseStatus refused = Connection.this.refusal;
					super.close((refused != null) ? refused : status);
				}

			};
		}

		void done(String id) {
			this.waiting.remove(id);
			CloseStatus status = this.ending;
			if (status != null && this.waiting.isEmpty()) {
				close(status);
			}
		}

		void close(CloseStatus status) {
			if (!this.session.isOpen()) {
				return;
			}
			try {
				this.session.close(status);
			}
			catch (IOException ex) {
				// The client is gone: nothing left to close.
			}
		}

	}

}
