package io.tally.response;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.tally.cache.HeapEstimate;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * A piece of serialized JSON kept as UTF-8, which a UTF-8 generator copies as it is; any other
 * use goes through its text, decoded only then (every generator Tally writes answers with is a
 * UTF-8 one, so the text is normally never made).
 */
public final class Utf8Json implements SerializableString {

	private final byte[] utf8;

	private SerializedString asText;

	/** @param utf8 the JSON's bytes, owned by this from now on */
	public Utf8Json(byte[] utf8) {
		this.utf8 = utf8;
	}

	/** The heap it keeps: itself and its UTF-8 bytes. */
	public long retainedBytes() {
		return 24 + HeapEstimate.bytes(this.utf8.length);
	}

	private SerializedString asText() {
		// Racing threads make equal ones; either will do.
		if (this.asText == null) {
			this.asText = new SerializedString(new String(this.utf8, StandardCharsets.UTF_8));
		}
		return this.asText;
	}

	@Override
	public String getValue() {
		return asText().getValue();
	}

	@Override
	public int charLength() {
		return asText().charLength();
	}

	@Override
	public byte[] asUnquotedUTF8() {
		return this.utf8;
	}

	@Override
	public int appendUnquotedUTF8(byte[] buffer, int offset) {
		if (offset + this.utf8.length > buffer.length) {
			return -1;
		}
		System.arraycopy(this.utf8, 0, buffer, offset, this.utf8.length);
		return this.utf8.length;
	}

	@Override
	public int writeUnquotedUTF8(OutputStream out) throws IOException {
		out.write(this.utf8);
		return this.utf8.length;
	}

	@Override
	public int putUnquotedUTF8(ByteBuffer buffer) {
		if (this.utf8.length > buffer.remaining()) {
			return -1;
		}
		buffer.put(this.utf8);
		return this.utf8.length;
	}

	@Override
	public int appendUnquoted(char[] buffer, int offset) {
		return asText().appendUnquoted(buffer, offset);
	}

	@Override
	public char[] asQuotedChars() {
		return asText().asQuotedChars();
	}

	@Override
	public byte[] asQuotedUTF8() {
		return asText().asQuotedUTF8();
	}

	@Override
	public int appendQuotedUTF8(byte[] buffer, int offset) {
		return asText().appendQuotedUTF8(buffer, offset);
	}

	@Override
	public int appendQuoted(char[] buffer, int offset) {
		return asText().appendQuoted(buffer, offset);
	}

	@Override
	public int writeQuotedUTF8(OutputStream out) throws IOException {
		return asText().writeQuotedUTF8(out);
	}

	@Override
	public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
		return asText().putQuotedUTF8(buffer);
	}

}
