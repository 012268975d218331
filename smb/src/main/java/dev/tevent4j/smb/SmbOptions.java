package dev.tevent4j.smb;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link SmbServer} serves and how: the directory, the share name, the port, the read
 * mode, the accounts, whether the share is writable, the backend. Setters return this.
 */
public final class SmbOptions {
    /** The largest READ and WRITE offered (NEGOTIATE's MaxReadSize, MaxWriteSize): 8 MiB. */
    public static final int MAX_IO = 8 << 20;

    Path root;
    String share;
    String bind = "127.0.0.1";
    int port = 445;
    ReadMode mode = ReadMode.DEFAULT;
    Users users = Users.none();
    boolean writable;
    String backend;
    Duration sendTimeout = Duration.ofSeconds(30);
    Duration frameTimeout = Duration.ofSeconds(30);
    int maxConnections = 1024;
    String serverName = "TEVENT4J";

    /**
     * @param root the directory served
     * @param share the share's name, e.g. "data"
     */
    public SmbOptions(Path root, String share) {
        this.root = Objects.requireNonNull(root, "root");
        if (share == null || share.isEmpty() || share.length() > 80 || share.contains("\\") || share.contains("/")) {
            throw new IllegalArgumentException("--share must be a name of 1 to 80 characters without slashes, got " + share);
        }
        this.share = share;
    }

    /** The IPv4 address listened on (default 127.0.0.1). */
    public SmbOptions bind(String address) {
        this.bind = Objects.requireNonNull(address);
        return this;
    }

    /** The TCP port, 0 for a free one. */
    public SmbOptions port(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        this.port = port;
        return this;
    }

    /** The read path. */
    public SmbOptions mode(ReadMode mode) {
        this.mode = Objects.requireNonNull(mode);
        return this;
    }

    /** The accounts; {@link Users#none()} accepts anonymous and guest sessions only. */
    public SmbOptions users(Users users) {
        this.users = Objects.requireNonNull(users);
        return this;
    }

    /** Whether WRITE, FLUSH and creating files are allowed. */
    public SmbOptions writable(boolean writable) {
        this.writable = writable;
        return this;
    }

    /** The loop's backend by name, null for the mode's choice (threadpool: epoll; the ring modes: the default). */
    public SmbOptions backend(String backend) {
        this.backend = backend;
        return this;
    }

    /** How long a frame that has begun may take to arrive whole before its connection is closed. */
    public SmbOptions frameTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("frame timeout must be positive");
        this.frameTimeout = timeout;
        return this;
    }

    /** Connections served at once; more are closed as they are accepted. */
    public SmbOptions maxConnections(int max) {
        if (max < 1) throw new IllegalArgumentException("max connections must be at least 1, got " + max);
        this.maxConnections = max;
        return this;
    }

    /** How long a client may take no byte of a response before its connection is closed. */
    public SmbOptions sendTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("send timeout must be positive");
        this.sendTimeout = timeout;
        return this;
    }
}
