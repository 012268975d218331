package dev.tevent4j.samples;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static dev.tevent4j.samples.FileProtocol.*;

/**
 * A fileserve client for the attack tests whose every read has a time limit (SO_TIMEOUT), so a
 * server that stopped answering fails the test with SocketTimeoutException instead of hanging it.
 */
final class TimedFileClient implements AutoCloseable {
    /** A reply: its status and body (the bytes, or an error's message). */
    record Reply(int status, byte[] body) {}

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    TimedFileClient(int port, int timeoutMillis) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(timeoutMillis);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    Socket socket() {
        return socket;
    }

    /** Sends READ path[offset, offset+length) without waiting for the reply. */
    void sendRead(String path, long offset, long length) throws IOException {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 16 + 2 + p.length);
        b.putInt(1 + 16 + 2 + p.length).put((byte) OP_READ).putLong(offset).putLong(length).putShort((short) p.length).put(p);
        out.write(b.array());
        out.flush();
    }

    /** Reads one whole reply. */
    Reply reply() throws IOException {
        int status = in.readUnsignedByte();
        long len = in.readLong();
        if (len > Integer.MAX_VALUE) throw new IOException("reply body of " + len + " bytes");
        byte[] body = new byte[(int) len];
        in.readFully(body);
        return new Reply(status, body);
    }

    /** A STATS request: needs no fd on the server. */
    Reply stats() throws IOException {
        out.write(ByteBuffer.allocate(5).putInt(1).put((byte) OP_STATS).array());
        out.flush();
        return reply();
    }

    Reply read(String path, long offset, long length) throws IOException {
        sendRead(path, offset, length);
        return reply();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
