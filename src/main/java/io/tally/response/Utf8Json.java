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
 * use goes through its text.
 */
final class Utf8Json implements SerializableString {

	private final String text;

	private final byte[] utf8;

	private final SerializedString asText;

	Utf8Json(String text) {
		this.text = text;
		this.utf8 = text.getBytes(StandardCharsets.UTF_8);
		this.asText = new SerializedString(text);
	}

	/**
	 * The heap it keeps: itself, its text, its UTF-8 bytes and the text's serialized form (whose
	 * quoted caches stay empty, a generator copying the unquoted bytes).
	 */
	long retainedBytes() {
		return 24 + HeapEstimate.string(this.text) + HeapEstimate.bytes(this.utf8.length) + 24;
	}

	@Override
	public String getValue() {
		return this.text;
	}

	@Override
	public int charLength() {
		return this.text.length();
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
		return this.asText.appendUnquoted(buffer, offset);
	}

	@Override
	public char[] asQuotedChars() {
		return this.asText.asQuotedChars();
	}

	@Override
	public byte[] asQuotedUTF8() {
		return this.asText.asQuotedUTF8();
	}

	@Override
	public int appendQuotedUTF8(byte[] buffer, int offset) {
		return this.asText.appendQuotedUTF8(buffer, offset);
	}

	@Override
	public int appendQuoted(char[] buffer, int offset) {
		return this.asText.appendQuoted(buffer, offset);
	}

	@Override
	public int writeQuotedUTF8(OutputStream out) throws IOException {
		return this.asText.writeQuotedUTF8(out);
	}

	@Override
	public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
		return this.asText.putQuotedUTF8(buffer);
	}

}
