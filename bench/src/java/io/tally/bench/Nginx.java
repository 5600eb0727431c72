package io.tally.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP floor: nginx (Debian's {@code nginx-light}) serving one answer's exact bytes as a
 * static file on a loopback port, a child process of the benchmark with its own prefix and
 * configuration under {@code target/}, stopped when closed. What any HTTP server on this machine
 * needs for a request of that size, next to what Tally needs for {@code { __typename }}.
 */
final class Nginx implements AutoCloseable {

	private static final String CONF = """
			daemon off;
			master_process on;
			worker_processes %d;
			%s
			pid %s/nginx.pid;
			error_log %s/error.log warn;
			events {
			    worker_connections 1024;
			}
			http {
			    access_log off;
			    default_type application/json;
			    sendfile on;
			    tcp_nopush on;
			    tcp_nodelay on;
			    # As many requests per connection as wrk sends: the floor pays no reconnects.
			    keepalive_requests 10000000;
			    keepalive_timeout 60s;
			    client_body_temp_path %s/tmp/body;
			    proxy_temp_path %s/tmp/proxy;
			    fastcgi_temp_path %s/tmp/fastcgi;
			    uwsgi_temp_path %s/tmp/uwsgi;
			    scgi_temp_path %s/tmp/scgi;
			    server {
			        listen 127.0.0.1:%d;
			        root %s/html;
			        location = /graphql {
			            try_files /answer.json =404;
			        }
			    }
			}
			""";

	private final Process process;

	private final int port;

	private Nginx(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/** Where wrk sends its GETs. */
	String url() {
		return "http://127.0.0.1:" + this.port + "/graphql";
	}

	static boolean available() {
		return binary().isPresent();
	}

	private static Optional<String> binary() {
		for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/**
	 * Starts nginx serving {@code answer} at {@code /graphql}; empty (and logged) when it is not
	 * installed or did not start.
	 */
	static Optional<Nginx> start(byte[] answer) {
		Optional<String> binary = binary();
		if (binary.isEmpty()) {
			BenchData.log("nginx is not installed (apt-get install nginx-light); the nginx row is skipped");
			return Optional.empty();
		}
		try {
			Path prefix = Path.of("target", "bench-nginx").toAbsolutePath();
			Files.createDirectories(prefix.resolve("html"));
			for (String temp : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
				Files.createDirectories(prefix.resolve("tmp").resolve(temp));
			}
			Files.write(prefix.resolve("html/answer.json"), answer);
			int port = freePort();
			// As root the workers would switch to nobody, who may not read the worktree.
			String user = "root".equals(System.getProperty("user.name")) ? "user root;" : "";
			String p = prefix.toString();
			Path conf = Files.writeString(prefix.resolve("nginx.conf"), CONF.formatted(
					Runtime.getRuntime().availableProcessors(), user, p, p, p, p, p, p, p, port, p));
			Process process = new ProcessBuilder(binary.get(), "-p", p, "-c", conf.toString(), "-e",
					prefix.resolve("error.log").toString())
				.redirectErrorStream(true)
				.redirectOutput(prefix.resolve("out.txt").toFile())
				.start();
			Nginx nginx = new Nginx(process, port);
			if (!nginx.awaitListening()) {
				nginx.close();
				BenchData.log("nginx did not start: %s %s", Files.readString(prefix.resolve("out.txt")),
						Files.exists(prefix.resolve("error.log")) ? Files.readString(prefix.resolve("error.log")) : "");
				return Optional.empty();
			}
			BenchData.log("nginx serving %d bytes at %s", answer.length, nginx.url());
			return Optional.of(nginx);
		}
		catch (IOException ex) {
			BenchData.log("nginx not run: %s", ex.getMessage());
			return Optional.empty();
		}
	}

	private boolean awaitListening() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline && this.process.isAlive()) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
				return true;
			}
			catch (IOException ex) {
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return false;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** SIGTERM: nginx's master stops its workers and exits. */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			kill();
		}
	}

	/** Its workers first: killed, the master could not stop them. */
	private void kill() {
		this.process.descendants().forEach(ProcessHandle::destroyForcibly);
		this.process.destroyForcibly();
	}

}
