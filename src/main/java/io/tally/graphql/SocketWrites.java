package io.tally.graphql;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sends a typical answer in one write to the socket. Tomcat buffers a response in 8 KB and copies
 * it to the socket through a write buffer of 8 KB per connection, so a 90-day chart (12 KB with its
 * headers) left as two chunks in two writes. Both are {@link #BYTES} here: one write with a
 * Content-Length. The socket buffer is per open connection, so it stays small: 8 KB more per
 * connection.
 */
@Configuration(proxyBeanMethods = false)
public class SocketWrites {

	/** The answers (headers included) sent in one write. */
	public static final int BYTES = 16 * 1024;

	@Bean
	TomcatConnectorCustomizer socketWriteBuffer() {
		return connector -> connector.setProperty("socket.appWriteBufSize", String.valueOf(BYTES));
	}

}
