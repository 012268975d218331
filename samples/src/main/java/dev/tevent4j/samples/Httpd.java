package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.FdEvent;
import dev.tevent4j.Request;
import dev.tevent4j.linux.Errno;
import dev.tevent4j.linux.Libc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bin/tevent4j httpd}: a small HTTP/1.1 static file server. GET and HEAD, keep-alive
 * (and pipelined requests, answered in order), a single byte range (206 with Content-Range),
 * Content-Type by extension; 400, 403, 404, 405, 408, 414, 416 and 501 for what deserves them.
 * One loop per thread with SO_REUSEPORT sockets; bodies go file -> pipe -> socket with
 * {@code io().splice}, which runs on the ring on io_uring backends and on the AsyncIo thread pool
 * on epoll.
 *
 * <p>The request head is parsed strictly (RFC 9112): a bare LF or CR, whitespace before a
 * header's colon, obs-fold, a field name that is not a token, control characters, a second Host
 * or Content-Length, and any Transfer-Encoding are refused and the connection closed, so that a
 * lenient proxy in front cannot smuggle a second request past it. Each connection has one
 * deadline at a time ({@link ConnectionTimer}): the whole head within --header-timeout (408),
 * the next request within --idle-timeout, progress of a reply within --send-timeout.
 */
@Command(name = "httpd", mixinStandardHelpOptions = true, description = "HTTP/1.1 static file server (GET, HEAD, Range, keep-alive).")
public final class Httpd implements Callable<Integer>, AutoCloseable {
    @Mixin
    final ServerOptions net = new ServerOptions(8080, ServerOptions.Timeout.ofSeconds(30));
    @Option(names = "--root", required = true, description = "Directory to serve.")
    Path root;
    @Option(names = "--header-timeout", paramLabel = "TIME", converter = ServerOptions.Timeout.Converter.class,
            description = "Whole request head (request line and headers) within this, from its first byte (or from accept): else 408 and close; 0 = never (default: ${DEFAULT-VALUE}).")
    ServerOptions.Timeout headerTimeout = ServerOptions.Timeout.ofSeconds(20);
    @Option(names = "--send-timeout", paramLabel = "TIME", converter = ServerOptions.Timeout.Converter.class,
            description = "Close when the client has taken no byte of a reply for this long; 0 = never (default: ${DEFAULT-VALUE}).")
    ServerOptions.Timeout sendTimeout = ServerOptions.Timeout.ofSeconds(60);

    /** Longest request head (request line + headers) accepted: 8 KiB, as nginx's default large buffer. */
    static final int MAX_HEAD = 8192;
    /** Longest request target: longer gets 414. */
    static final int MAX_TARGET = 4096;

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"), Map.entry("json", "application/json"),
            Map.entry("xml", "application/xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/x-icon"), Map.entry("webp", "image/webp"), Map.entry("pdf", "application/pdf"),
            Map.entry("wasm", "application/wasm"), Map.entry("mp4", "video/mp4"), Map.entry("gz", "application/gzip"));

    private LoopThreads group;
    private RootedFiles files;
    private int boundPort;

    /** The Content-Type for a file name, by extension; application/octet-stream otherwise. */
    public static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    public int start() throws Exception {
        BackendChoice be = net.check();
        files = new RootedFiles(root);
        ReusePortSockets sockets = net.listen();
        boundPort = sockets.port();
        group = LoopThreads.start("httpd", be, net.threads, i -> new Shard(sockets.fds()[i]));
        return boundPort;
    }

    public int port() {
        return boundPort;
    }

    @Override
    public Integer call() throws Exception {
        start();
        System.out.printf("httpd: %d loop(s) on backend %s, root %s, listening on %s:%d%n",
                net.threads, group.backendName(), files.root(), net.bind, boundPort);
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        group.await();
        return 0;
    }

    @Override
    public void close() {
        if (group != null) group.close();
        group = null;
        if (files != null) files.close();
    }

    private final class Shard implements LoopThreads.Shard {
        final Acceptor acceptor;
        final Connections<Conn> conns = new Connections<>();
        final BufferPool buffers = new BufferPool(MAX_HEAD + 4096, 256); // each connection's in + out, back at its close
        EventLoop loop;

        Shard(int listenFd) {
            // Blocking sockets: splice and send through the ring or the pool wait for room.
            acceptor = new Acceptor("httpd", listenFd, Libc.SOCK_CLOEXEC, fd -> {
                Net.noDelay(fd);
                conns.add(new Conn(this, fd));
            });
        }

        @Override
        public void start(EventLoop loop) {
            this.loop = loop;
            acceptor.useRing(net.ringIo(loop)).start(loop);
        }

        @Override
        public void shutdown() {
            acceptor.close();
            conns.closeAllAndDrain(loop);
            buffers.close();
        }
    }

    /** A parsed request head (what the response needs). */
    private record Head(String method, String target, boolean http11, boolean keepAlive, String range, boolean hasHost, boolean hasBody) {}

    private final class Conn implements Connections.Conn {
        final Shard shard;
        final EventLoop loop;
        final int fd;
        final FdEvent fde;
        final BufferPool.Buffer buffers; // from the shard's pool, not the GC: given back at close
        final MemorySegment in, out;
        final byte[] scratch = new byte[MAX_HEAD];
        int filled;
        /** in[0, scanned) holds no end of the head and no bad line ending (headEnd resumes there). */
        int scanned;
        /** The status {@link #parse} refuses the last head with: 400, or 501 for a transfer coding. */
        int rejected;
        boolean busy, closing, closed, closeAfterReply;
        final ConnectionFiles opened = new ConnectionFiles();
        final ConnectionTimer timer;

        Conn(Shard shard, int fd) {
            this.shard = shard;
            this.loop = shard.loop;
            this.fd = fd;
            buffers = shard.buffers.take();
            in = buffers.segment().asSlice(0, MAX_HEAD);
            out = buffers.segment().asSlice(MAX_HEAD, 4096);
            fde = loop.addFd(fd, FdEvent.READ, (e, f) -> onReadable());
            // The client speaks first: its first head is due within the header timeout of accept.
            timer = new ConnectionTimer(loop, fd, ConnectionTimer.Phase.REQUEST, net.idleTimeout.nanos(),
                    headerTimeout.nanos(), sendTimeout.nanos(), this::onTimeout);
        }

        private void onTimeout(ConnectionTimer.Phase phase) {
            if (closing) return;
            if (phase == ConnectionTimer.Phase.REQUEST && !busy) { // nothing of a reply started: say why
                closeAfterReply = true;
                simple(408, "Request Timeout", false);
                settle();
                return;
            }
            close(); // idle: silently; a reply the client does not take: it fails at once
        }

        private void onReadable() {
            long n = Libc.recv(fd, in.asSlice(filled), in.byteSize() - filled, Libc.MSG_DONTWAIT);
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) return;
            if (n <= 0) { close(); return; }
            filled += (int) n;
            process();
        }

        private void process() {
            while (!busy && !closing && filled > 0) {
                int end = headEnd();
                if (end == BAD_LINE_END) { // a bare CR or LF: where lines end is ambiguous, do not guess
                    closeAfterReply = true;
                    simple(400, "Bad Request", false);
                    break;
                }
                if (end < 0) {
                    if (filled == in.byteSize()) { // the head does not fit
                        boolean lineEnded = indexOf((byte) '\n', 0, filled) >= 0;
                        closeAfterReply = true;
                        if (!lineEnded) simple(414, "URI Too Long", false);
                        else simple(400, "Bad Request", false); // headers too large
                    }
                    break;
                }
                MemorySegment.copy(in, ValueLayout.JAVA_BYTE, 0, scratch, 0, end);
                consume(end);
                respond(new String(scratch, 0, end, StandardCharsets.ISO_8859_1));
            }
            settle();
        }

        /**
         * READ on only while no reply is on the way; the deadline that fits: sending, a request
         * under way (bytes of it buffered), or idle. Changing phase is the only re-arm, so bytes
         * trickling in do not move the header deadline.
         */
        private void settle() {
            int want = busy || closing ? 0 : FdEvent.READ;
            if (!fde.isClosed() && fde.flags() != want) fde.setFlags(want);
            if (closing) return;
            timer.enter(busy ? ConnectionTimer.Phase.SENDING : filled > 0 ? ConnectionTimer.Phase.REQUEST : ConnectionTimer.Phase.IDLE);
        }

        /**
         * Index just past the blank line ending the head, -1 when it has not arrived, or
         * {@link #BAD_LINE_END} for a LF without CR or a CR without LF before it (RFC 9112 sec. 2.2
         * lets a server accept a bare LF; a proxy that reads lines differently is how requests are
         * smuggled, so it is refused).
         */
        private int headEnd() {
            for (int i = scanned; i < filled; i++) {
                byte b = in.get(ValueLayout.JAVA_BYTE, i);
                boolean afterCr = i > 0 && in.get(ValueLayout.JAVA_BYTE, i - 1) == '\r';
                if (b != '\n') {
                    if (afterCr) return BAD_LINE_END;
                    continue;
                }
                if (!afterCr) return BAD_LINE_END;
                if (i >= 3 && in.get(ValueLayout.JAVA_BYTE, i - 2) == '\n' && in.get(ValueLayout.JAVA_BYTE, i - 3) == '\r') return i + 1;
            }
            scanned = filled;
            return -1;
        }

        private int indexOf(byte b, int from, int to) {
            for (int i = from; i < to; i++) if (in.get(ValueLayout.JAVA_BYTE, i) == b) return i;
            return -1;
        }

        private void consume(int n) {
            MemorySegment.copy(in, n, in, 0, filled - n);
            filled -= n;
            scanned = 0;
        }

        /**
         * The head as a {@link Head}, or null (and {@link #rejected} set) when RFC 9112 says to
         * refuse it: a request line that is not {@code token SP target SP version}; a header line
         * whose name is not a token right before its colon (this catches whitespace before the
         * colon, sec. 5.1, and obs-fold, a line starting with SP or HTAB, sec. 5.2); a control
         * character in a value; a second Host (sec. 3.2) or Content-Length (sec. 6.3), or a
         * Content-Length that is not digits; any Transfer-Encoding, since no body is ever read:
         * 400 beside a Content-Length (sec. 6.1), else 501 (an unimplemented coding).
         */
        private Head parse(String head) {
            rejected = 400;
            String[] lines = head.split("\r\n");
            if (lines.length == 0) return null; // nothing but the blank line
            String[] rl = lines[0].split(" ", -1);
            if (rl.length != 3 || !isToken(rl[0], 0, rl[0].length()) || !isTarget(rl[1])) return null;
            boolean http11;
            if (rl[2].equals("HTTP/1.1")) http11 = true;
            else if (rl[2].equals("HTTP/1.0")) http11 = false;
            else return null;
            boolean keepAlive = http11, hasHost = false, hasBody = false, hasLength = false, hasCoding = false;
            String range = null;
            for (int i = 1; i < lines.length; i++) {
                String l = lines[i];
                int colon = l.indexOf(':');
                if (colon <= 0 || !isToken(l, 0, colon) || !isFieldValue(l, colon + 1)) return null;
                String name = l.substring(0, colon).toLowerCase(Locale.ROOT), value = l.substring(colon + 1).trim();
                switch (name) {
                    case "host" -> {
                        if (hasHost) return null;
                        hasHost = true;
                    }
                    case "connection" -> {
                        String v = value.toLowerCase(Locale.ROOT);
                        if (v.contains("close")) keepAlive = false;
                        else if (v.contains("keep-alive")) keepAlive = true;
                    }
                    case "range" -> range = value;
                    case "content-length" -> {
                        if (hasLength || value.isEmpty()) return null;
                        hasLength = true;
                        for (int k = 0; k < value.length(); k++) {
                            char c = value.charAt(k);
                            if (c < '0' || c > '9') return null;
                            hasBody |= c != '0';
                        }
                    }
                    case "transfer-encoding" -> hasCoding = true;
                    default -> { }
                }
            }
            if (hasCoding) {
                rejected = hasLength ? 400 : 501;
                return null;
            }
            return new Head(rl[0], rl[1], http11, keepAlive, range, hasHost, hasBody);
        }

        private void respond(String text) {
            Head h = parse(text);
            if (h == null) {
                closeAfterReply = true;
                if (rejected == 501) simple(501, "Not Implemented", false);
                else simple(400, "Bad Request", false);
                return;
            }
            boolean head = h.method().equals("HEAD");
            // We never read request bodies: a request with one ends the connection after the reply.
            closeAfterReply = !h.keepAlive() || h.hasBody();
            if (h.http11() && !h.hasHost()) { closeAfterReply = true; simple(400, "Bad Request", head); return; }
            if (h.target().length() > MAX_TARGET) { simple(414, "URI Too Long", head); return; }
            if (!head && !h.method().equals("GET")) { simple(405, "Method Not Allowed", false); return; }
            String target = h.target();
            int q = target.indexOf('?');
            if (q >= 0) target = target.substring(0, q);
            if (!target.startsWith("/")) { simple(400, "Bad Request", head); return; }
            String path = percentDecode(target);
            if (path == null) { simple(400, "Bad Request", head); return; }
            if (path.endsWith("/")) path += "index.html";
            RootedFiles.Opened r = files.open(path.substring(1)); // opened beneath the root: the containment check
            if (r.status() == RootedFiles.Status.FORBIDDEN) { simple(403, "Forbidden", head); return; }
            if (r.status() == RootedFiles.Status.NOT_FOUND) { simple(404, "Not Found", head); return; }
            if (r.status() == RootedFiles.Status.FAILED) { simple(500, "Internal Server Error", head); return; }
            opened.adopt(r);
            long size = r.size(), off = 0, len = size;
            String contentRange = null;
            int status = 200;
            if (h.range() != null) {
                long[] range = range(h.range(), size);
                if (range == RANGE_UNSATISFIABLE) {
                    send(416, "Range Not Satisfiable", "text/plain; charset=utf-8", 0, "Content-Range: bytes */" + size + "\r\n", null, 0, 0);
                    return;
                }
                if (range != null) {
                    status = 206;
                    off = range[0];
                    len = range[1] - range[0] + 1;
                    contentRange = "Content-Range: bytes " + range[0] + "-" + range[1] + "/" + size + "\r\n";
                }
            }
            send(status, status == 206 ? "Partial Content" : "OK", contentType(path.substring(path.lastIndexOf('/') + 1)), len,
                    (contentRange == null ? "" : contentRange) + "Accept-Ranges: bytes\r\n", null, head ? -1 : off, head ? 0 : len);
        }

        /** A short text reply; {@code head}: headers only. */
        private void simple(int status, String reason, boolean head) {
            String body = status + " " + reason + "\n";
            String extra = status == 405 ? "Allow: GET, HEAD\r\n" : "";
            send(status, reason, "text/plain; charset=utf-8", body.length(), extra, head ? null : body, -1, 0);
        }

        /**
         * Sends the status line and headers (plus a short body from memory), then, when
         * {@code fileLen > 0}, file[fileOff, fileOff+fileLen) by splice.
         */
        private void send(int status, String reason, String type, long contentLength, String extra, String body, long fileOff, long fileLen) {
            if (status == 400) closeAfterReply = true; // the stream may be out of step: do not guess
            String hdr = "HTTP/1.1 " + status + " " + reason + "\r\nServer: tevent4j\r\nContent-Type: " + type
                    + "\r\nContent-Length: " + contentLength + "\r\n" + extra
                    + (closeAfterReply ? "Connection: close\r\n" : "Connection: keep-alive\r\n") + "\r\n" + (body == null ? "" : body);
            byte[] b = hdr.getBytes(StandardCharsets.ISO_8859_1);
            MemorySegment.copy(b, 0, out, ValueLayout.JAVA_BYTE, 0, b.length);
            busy = true;
            Request<Long> headers = Transfers.sendAll(loop, fd, out, b.length, false);
            if (fileLen <= 0) {
                headers.onComplete(this::replied);
                return;
            }
            int[] pipe;
            try {
                pipe = opened.pipe();
            } catch (Exception e) {
                closeAfterReply = true;
                pipe = null;
            }
            int[] p = pipe;
            headers.onComplete(r -> {
                if (r.isError() || p == null) { replied(r); return; }
                Transfers.splice(loop, opened.fileFd(), fileOff, fileLen, p[0], p[1], p[2], fd).onComplete(this::replied);
            });
        }

        private void replied(Request<Long> r) {
            busy = false;
            if (r.isError() || closeAfterReply || closing) { close(); return; }
            process();
        }

        @Override
        public void close() {
            if (closed) return;
            closing = true;
            timer.cancel();
            if (busy) { // a reply is in flight: make it fail fast, close when it ends
                Libc.shutdown(fd, Libc.SHUT_RDWR);
                if (!fde.isClosed()) fde.setFlags(0);
                return;
            }
            closed = true;
            fde.close();
            if (closeAfterReply) Libc.shutdown(fd, Libc.SHUT_WR); // let the client read to EOF
            Libc.close(fd);
            opened.close();
            shard.buffers.give(buffers);
            shard.conns.remove(this);
        }
    }

    /** {@code headEnd()}: a line ending that is not CRLF. */
    private static final int BAD_LINE_END = -2;

    /** Whether s[from, to) is a non-empty token: tchar = ALPHA / DIGIT / {@code !#$%&'*+-.^_`|~} (RFC 9110 sec. 5.6.2). */
    static boolean isToken(String s, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) return false;
        }
        return true;
    }

    /** Whether s[from, end) is a field value: no control character but HTAB (obs-text, 0x80-0xFF, is allowed). */
    static boolean isFieldValue(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
        }
        return true;
    }

    /** Whether a request target is visible ASCII only (no control, space or byte over 0x7E). */
    static boolean isTarget(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) return false;
        }
        return true;
    }

    private static final long[] RANGE_UNSATISFIABLE = new long[0];

    /**
     * A single "bytes=" range as {first, last} (inclusive), {@link #RANGE_UNSATISFIABLE}, or
     * null to ignore the header (not bytes, several ranges, bad syntax: RFC 9110 lets a server
     * ignore Range and send the whole file).
     */
    static long[] range(String value, long size) {
        if (!value.startsWith("bytes=")) return null;
        String spec = value.substring(6).trim();
        if (spec.contains(",")) return null;
        int dash = spec.indexOf('-');
        if (dash < 0) return null;
        try {
            String a = spec.substring(0, dash).trim(), b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) { // suffix: the last n bytes
                if (b.isEmpty()) return null;
                long n = Long.parseLong(b);
                if (n < 0) return null;
                if (n == 0 || size == 0) return RANGE_UNSATISFIABLE;
                return new long[] {Math.max(0, size - n), size - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) return null;
            if (first >= size) return RANGE_UNSATISFIABLE;
            return new long[] {first, Math.min(last, size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Decodes %XX escapes (UTF-8); null for a malformed escape or an encoded NUL. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') { b.write(c); continue; }
            if (i + 2 >= s.length()) return null;
            int hi = Character.digit(s.charAt(i + 1), 16), lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0 || (hi | lo) == 0) return null;
            b.write(hi << 4 | lo);
            i += 2;
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
