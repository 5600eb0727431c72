package io.tally.socket;

import java.time.Duration;

import io.tally.tenancy.HttpCorsProperties;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * GraphQL over WebSocket ({@code graphql-transport-ws}, the protocol of Apollo Client's and urql's
 * {@code graphql-ws} links) on {@code spring.graphql.websocket.path}, through the same interceptors
 * as HTTP. Spring Boot maps the handler; this one admits the origins HTTP's CORS rules admit
 * ({@code tally.http.cors.allowed-origins}; same-origin pages and non-browser clients always), and
 * lets {@link OpenSockets} follow each session, so {@link ConnectionAuthentication} can end it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SocketConfiguration {

	@Bean
	GraphQlWebSocketHandler graphQlWebSocketHandler(WebGraphQlHandler handler, GraphQlProperties properties,
			HttpCorsProperties cors, JsonMapper json, OpenSockets sockets) {
		GraphQlProperties.Websocket websocket = properties.getWebsocket();
		CorsConfiguration origins = new CorsConfiguration();
		origins.setAllowedOriginPatterns(cors.allowedOrigins());
		return new TrackedSocketHandler(handler, new JacksonJsonHttpMessageConverter(json),
				websocket.getConnectionInitTimeout(), websocket.getKeepAlive(), origins, sockets);
	}

	/** Spring for GraphQL's handler, writing through {@link OpenSockets}, which sees each session open, write and close. */
	static final class TrackedSocketHandler extends GraphQlWebSocketHandler {

		private final OpenSockets sockets;

		TrackedSocketHandler(WebGraphQlHandler handler, JacksonJsonHttpMessageConverter converter, Duration initTimeout,
				Duration keepAlive, CorsConfiguration origins, OpenSockets sockets) {
			super(handler, converter, initTimeout, keepAlive, origins);
			this.sockets = sockets;
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			super.afterConnectionEstablished(this.sockets.opened(session));
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			super.handleTextMessage(this.sockets.session(session), message);
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.sockets.closed(session);
			super.afterConnectionClosed(session, status);
		}

	}

}
