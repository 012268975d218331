package dev.tevent4j.smb;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** A hand-made SMB2 client over a plain socket, for frames no real client sends. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    long nextMessageId;
    long sessionId;
    int treeId;

    RawClient(int port) throws IOException {
        this(port, 0);
    }

    /** With {@code receiveBuffer} > 0, a small receive window set before connecting: a client that reads slowly. */
    RawClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A response: its header's status, command, credits and the body (after the 64-byte header). */
    record Response(int status, int command, int credits, long messageId, long sessionId, int treeId, ByteBuffer body) {}

    /** A 64-byte request header. */
    static ByteBuffer header(int command, long messageId, int creditCharge, long sessionId, int treeId) {
        ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x424D53FE).putShort((short) 64).putShort((short) creditCharge).putInt(0).putShort((short) command)
                .putShort((short) 64).putInt(0).putInt(0).putLong(messageId).putInt(0).putInt(treeId).putLong(sessionId);
        return h.position(64).flip();
    }

    static byte[] message(int command, long messageId, int creditCharge, long sessionId, int treeId, byte[] body) {
        ByteBuffer m = ByteBuffer.allocate(64 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        m.put(header(command, messageId, creditCharge, sessionId, treeId)).put(body);
        return m.array();
    }

    void sendFrame(byte[] payload) throws IOException {
        byte[] f = new byte[4 + payload.length];
        f[1] = (byte) (payload.length >>> 16);
        f[2] = (byte) (payload.length >>> 8);
        f[3] = (byte) payload.length;
        System.arraycopy(payload, 0, f, 4, payload.length);
        out.write(f);
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends one request with the next message id (charge 1) in this session and tree. */
    Response call(int command, byte[] body) throws IOException {
        sendFrame(message(command, nextMessageId++, 1, sessionId, treeId, body));
        return read();
    }

    Response read() throws IOException {
        return readCompound().get(0);
    }

    /** One frame's bytes (a single response: header and body). */
    byte[] readRaw() throws IOException {
        int len = in.readInt() & 0xffffff;
        byte[] frame = new byte[len];
        in.readFully(frame);
        return frame;
    }

    static Response parse(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        return new Response(b.getInt(8), b.getShort(12) & 0xffff, b.getShort(14) & 0xffff, b.getLong(24), b.getLong(40), b.getInt(36),
                ByteBuffer.wrap(frame, 64, frame.length - 64).slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** One frame's responses: one, or each of a compound (split at NextCommand). */
    java.util.List<Response> readCompound() throws IOException {
        int len = in.readInt() & 0xffffff;
        byte[] frame = new byte[len];
        in.readFully(frame);
        java.util.List<Response> all = new java.util.ArrayList<>();
        int at = 0;
        while (true) {
            ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
            int next = b.getInt(at + 20);
            int end = next == 0 ? len : at + next;
            all.add(new Response(b.getInt(at + 8), b.getShort(at + 12) & 0xffff, b.getShort(at + 14) & 0xffff, b.getLong(at + 24),
                    b.getLong(at + 40), b.getInt(at + 36), ByteBuffer.wrap(frame, at + 64, end - at - 64).slice().order(ByteOrder.LITTLE_ENDIAN)));
            if (next == 0) return all;
            at = end;
        }
    }

    /** Whether the server closed the connection (end of stream or reset) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            InputStream s = socket.getInputStream();
            while (true) {
                int len = in.readInt() & 0xffffff; // skip any response still coming
                in.readFully(new byte[len]);
                if (s.available() < 0) return true;
            }
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    static byte[] negotiateBody(int... dialects) {
        ByteBuffer b = ByteBuffer.allocate(36 + 2 * dialects.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 36).putShort((short) dialects.length).putShort((short) 1).putShort((short) 0).putInt(0);
        b.put(new byte[16]).putLong(0);
        for (int d : dialects) b.putShort((short) d);
        return b.array();
    }

    /** NEGOTIATE 2.1, then an anonymous session (raw NTLMSSP, no SPNEGO), then TREE_CONNECT to the share. */
    RawClient login(String share) throws IOException {
        Response n = call(0, negotiateBody(0x0202, 0x0210));
        check(n, 0);
        byte[] ntlmNegotiate = new byte[32];
        System.arraycopy("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII), 0, ntlmNegotiate, 0, 8);
        ntlmNegotiate[8] = 1;
        ntlmNegotiate[12] = 0x05; // UNICODE | REQUEST_TARGET
        ntlmNegotiate[13] = 0x02; // NTLM
        Response s1 = call(1, sessionSetupBody(ntlmNegotiate));
        check(s1, Status.MORE_PROCESSING_REQUIRED);
        sessionId = s1.sessionId();
        byte[] auth = new byte[72];
        System.arraycopy("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII), 0, auth, 0, 8);
        auth[8] = 3;
        for (int f = 12; f < 60; f += 8) auth[f + 4] = 72; // every field empty, at the end
        Response s2 = call(1, sessionSetupBody(auth));
        check(s2, 0);
        byte[] path = ("\\\\127.0.0.1\\" + share).getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer t = ByteBuffer.allocate(8 + path.length).order(ByteOrder.LITTLE_ENDIAN);
        t.putShort((short) 9).putShort((short) 0).putShort((short) 72).putShort((short) path.length).put(path);
        Response tc = call(3, t.array());
        check(tc, 0);
        treeId = tc.treeId();
        return this;
    }

    static byte[] sessionSetupBody(byte[] blob) {
        ByteBuffer b = ByteBuffer.allocate(24 + blob.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 25).put((byte) 0).put((byte) 1).putInt(0).putInt(0).putShort((short) 88).putShort((short) blob.length).putLong(0).put(blob);
        return b.array();
    }

    static byte[] createBody(String name, int access, int disposition, int options) {
        byte[] n = name.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer b = ByteBuffer.allocate(56 + Math.max(n.length, 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 57).put((byte) 0).put((byte) 0).putInt(2).putLong(0).putLong(0).putInt(access).putInt(0x80).putInt(7)
                .putInt(disposition).putInt(options).putShort((short) 120).putShort((short) n.length).putInt(0).putInt(0).put(n);
        return b.array();
    }

    /** CREATE for reading; returns the status and, on success, the volatile FileId in {@code fileId[0]}. */
    int open(String name, long[] fileId) throws IOException {
        Response r = call(5, createBody(name, 0x00120089, 1, 0));
        if (r.status() == 0) fileId[0] = r.body().getLong(72);
        return r.status();
    }

    static byte[] readBody(long fileId, int length, long offset) {
        ByteBuffer b = ByteBuffer.allocate(49).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 49).put((byte) 0).put((byte) 0).putInt(length).putLong(offset).putLong(fileId).putLong(fileId)
                .putInt(0).putInt(0).putInt(0).putShort((short) 0).putShort((short) 0).put((byte) 0);
        return b.array();
    }

    static void check(Response r, int status) {
        if (r.status() != status) throw new AssertionError("status 0x" + Integer.toHexString(r.status()) + ", expected 0x" + Integer.toHexString(status));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
