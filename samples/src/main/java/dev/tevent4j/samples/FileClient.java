package dev.tevent4j.samples;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static dev.tevent4j.samples.FileProtocol.*;

/**
 * A blocking client for the fileserve protocol (one connection), used by fileget and the tests.
 * Plain JDK sockets on purpose: the client is the measuring stick, not the sample.
 */
public final class FileClient implements AutoCloseable {
    /** A non-OK reply. */
    public static final class StatusException extends IOException {
        public final int status;

        StatusException(int status, String message) {
            super(statusName(status) + ": " + message);
            this.status = status;
        }
    }

    /** Receives the body of a READ reply, in pieces; the buffer is reused after the call. */
    public interface Sink {
        void accept(ByteBuffer piece, long fileOffset) throws IOException;
    }

    private final SocketChannel ch;
    private final ByteBuffer header = ByteBuffer.allocateDirect(REPLY_HEADER);
    private final ByteBuffer body;

    public FileClient(String host, int port) throws IOException {
        ch = SocketChannel.open(new InetSocketAddress(host, port));
        body = ByteBuffer.allocateDirect(1 << 20);
    }

    public SocketChannel channel() {
        return ch;
    }

    /** Sends a raw frame (u32 length + the bytes), for tests of malformed requests. */
    public void sendFrame(byte[] frame) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).flip();
        while (b.hasRemaining()) ch.write(b);
    }

    private static byte[] pathFrame(int op, long offset, long length, String path, boolean withRange) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + (withRange ? 16 : 0) + 2 + p.length).put((byte) op);
        if (withRange) b.putLong(offset).putLong(length);
        return b.putShort((short) p.length).put(p).array();
    }

    /** Reads a reply header; returns the body length, or throws StatusException (body consumed). */
    public long replyHeader() throws IOException {
        header.clear();
        fill(header);
        int status = header.get(0) & 0xff;
        long len = header.getLong(1);
        if (status != OK) {
            ByteBuffer m = ByteBuffer.allocate((int) len);
            fill(m);
            throw new StatusException(status, new String(m.array(), StandardCharsets.UTF_8));
        }
        return len;
    }

    private void fill(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) throw new EOFException("server closed the connection");
        }
    }

    /** The size of a file. */
    public long stat(String path) throws IOException {
        sendFrame(pathFrame(OP_STAT, 0, 0, path, false));
        long len = replyHeader();
        ByteBuffer b = ByteBuffer.allocate((int) len);
        fill(b);
        return b.getLong(0);
    }

    /** {cpuNanos, bytesServed} of the server process. */
    public long[] serverStats() throws IOException {
        sendFrame(new byte[] {OP_STATS});
        long len = replyHeader();
        ByteBuffer b = ByteBuffer.allocate((int) len);
        fill(b);
        return new long[] {b.getLong(0), b.getLong(8)};
    }

    /** Reads file[offset, offset+length) into {@code sink} (null: discard). */
    public long read(String path, long offset, long length, Sink sink) throws IOException {
        sendFrame(pathFrame(OP_READ, offset, length, path, true));
        long len = replyHeader();
        long got = 0;
        while (got < len) {
            body.clear();
            if (len - got < body.capacity()) body.limit((int) (len - got));
            int n = ch.read(body);
            if (n < 0) throw new EOFException("server closed the connection after " + got + " of " + len + " bytes");
            if (sink != null) {
                body.flip();
                sink.accept(body, offset + got);
            }
            got += n;
        }
        return got;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
