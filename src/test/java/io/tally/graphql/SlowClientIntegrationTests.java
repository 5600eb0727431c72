package io.tally.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow client cannot hold a request thread: headers must arrive within
 * {@code server.tomcat.connection-timeout} (5 s) and the whole body within
 * {@code tally.graphql.body-read-timeout} (10 s), however steadily bytes trickle in. Raw sockets,
 * with the shipped defaults.
 */
class SlowClientIntegrationTests extends IntegrationTestSupport {

	@Test
	void closesAConnectionWhoseHeadersStopArriving() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(20_000);
			long started = System.nanoTime();
			socket.getOutputStream().write("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));

			drain(socket.getInputStream());

			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
		}
	}

	@Test
	void answers408ToABodyThatTricklesInForLongerThanTheDeadline() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			long started = System.nanoTime();
			out.write(("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
					+ "Authorization: Bearer " + this.issuer.tenantUser("slow-a") + "\r\nContent-Length: 500\r\n\r\n{")
				.getBytes(StandardCharsets.US_ASCII));
			for (int second = 0; second < 25 && in.available() == 0; second++) {
				Thread.sleep(1000);
				try {
					out.write(' ');
					out.flush();
				}
				catch (IOException closed) {
					break;
				}
			}

			String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);

			assertThat(answer).isEqualTo("HTTP/1.1 408");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(18));
		}
	}

	/** Reads until the server closes the connection, whatever it answers first. */
	private static void drain(InputStream in) throws IOException {
		while (in.read() >= 0) {
			// Whatever Tomcat sends before closing does not matter; the close does.
		}
	}

}
