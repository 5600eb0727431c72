package io.tally.replica;

import java.util.function.Supplier;

import io.tally.catalog.ReportDefinition;
import io.tally.freshness.LedgerSnapshot;
import io.tally.freshness.ViewStatus;

/**
 * One request's choice of where to read, held while the request runs. The view's status (its
 * cache generation and refresh time) comes from the chosen source's own copy of the ledger, so a
 * lagging replica's rows are cached under its older generation and described with its older
 * refresh time, never the primary's newer ones.
 */
public final class ReadRoute implements AutoCloseable {

	static final String PRIMARY = "primary";

	private final ReadRouting routing;

	private final Replica replica;

	private final LedgerSnapshot primaryLedger;

	/** The replica's state when it was chosen, so one request sees one copy of its ledger. */
	private final ReplicaState state;

	ReadRoute(ReadRouting routing, Replica replica, LedgerSnapshot primaryLedger) {
		this.routing = routing;
		this.replica = replica;
		this.primaryLedger = primaryLedger;
		this.state = (replica != null) ? replica.state() : null;
		ReadRoutingDataSource.use((replica != null) ? replica.name() : null);
	}

	/**
	 * The report's ledger status as the chosen source holds it.
	 * @param touchesHistory whether the answer's range reaches the history part of a split view
	 */
	public ViewStatus status(ReportDefinition report, boolean touchesHistory) {
		if (this.replica == null) {
			return this.primaryLedger.status(report, touchesHistory);
		}
		return LedgerSnapshot.of(report, touchesHistory, this.state.ledger());
	}

	/** "primary", or the replica's host, port and database. */
	public String source() {
		return (this.replica != null) ? this.replica.name() : PRIMARY;
	}

	/** Runs the read on the chosen source, falling back to the primary when a replica fails. */
	public <T> T read(Supplier<T> read) {
		return this.routing.read(this, read);
	}

	Replica replica() {
		return this.replica;
	}

	@Override
	public void close() {
		ReadRoutingDataSource.use(null);
	}

}
