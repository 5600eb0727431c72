package io.tally.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of PostgreSQL that a test can cut and restore, so one gateway
 * instance loses its database while the server itself keeps serving everyone else. Cutting closes
 * every open connection and refuses new ones, as a stopped server would.
 */
final class TcpProxy implements AutoCloseable {

	private final String targetHost;

	private final int targetPort;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile ServerSocket server;

	private int port;

	TcpProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		listen();
	}

	int port() {
		return this.port;
	}

	/** The database is gone: open connections drop, new ones are refused. */
	synchronized void cut() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
		this.sockets.clear();
	}

	/** The database is back, on the same address. */
	synchronized void restore() throws IOException {
		listen();
	}

	@Override
	public void close() throws IOException {
		cut();
	}

	private void listen() throws IOException {
		ServerSocket listening = new ServerSocket();
		listening.setReuseAddress(true);
		listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
		this.port = listening.getLocalPort();
		this.server = listening;
		daemon(() -> {
			while (!listening.isClosed()) {
				try {
					Socket client = listening.accept();
					Socket database = new Socket(this.targetHost, this.targetPort);
					this.sockets.add(client);
					this.sockets.add(database);
					daemon(() -> pump(client, database));
					daemon(() -> pump(database, client));
				}
				catch (IOException ex) {
					// Closed by cut(), or the database refused: the client sees its connection drop.
				}
			}
		});
	}

	private void pump(Socket from, Socket to) {
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			in.transferTo(out);
		}
		catch (IOException ex) {
			// One side went away; closing both below ends the other direction too.
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already gone.
		}
	}

	private static void daemon(Runnable task) {
		Thread thread = new Thread(task, "tcp-proxy");
		thread.setDaemon(true);
		thread.start();
	}

}
