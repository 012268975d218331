package dev.tevent4j.samples;

import dev.tevent4j.smb.ReadMode;
import dev.tevent4j.smb.SmbOptions;
import dev.tevent4j.smb.SmbServer;
import dev.tevent4j.smb.Users;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/tevent4j smb-server}: serves one directory as one SMB2/3 share (docs/smb.md).
 * Prints {@code listening on PORT} once it accepts connections, then runs until killed.
 */
@Command(name = "smb-server", mixinStandardHelpOptions = true,
        description = "Serves --root as the SMB2/3 share --share (docs/smb.md).")
public final class SmbServerCommand implements Callable<Integer> {
    @Option(names = "--root", required = true, description = "Directory served as the share.")
    Path root;
    @Option(names = "--share", required = true, description = "The share's name, e.g. data (clients connect to //HOST/NAME).")
    String share;
    @Option(names = "--port", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).", defaultValue = "4445")
    int port = 4445;
    @Option(names = "--bind", description = "IPv4 address to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String bind = "127.0.0.1";
    @Option(names = "--mode", description = "Read path: threadpool, ring, splice or zc (default: ring).")
    ReadMode mode = ReadMode.DEFAULT;
    @Option(names = "--users", paramLabel = "FILE", description = "name:password lines; without it only anonymous and guest sessions.")
    Path users;
    @Option(names = "--writable", description = "Allow WRITE, FLUSH and new files (default: read-only).")
    boolean writable;
    @Option(names = "--backend", description = "Event loop backend (default: epoll for --mode threadpool, else the default backend).")
    String backend;

    @Override
    public Integer call() throws Exception {
        SmbOptions options = new SmbOptions(root, share).port(port).bind(bind).mode(mode).writable(writable).backend(backend)
                .users(users == null ? Users.none() : Users.load(users));
        SmbServer server = new SmbServer(options);
        int bound = server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.err.printf("smb-server: share %s = %s, backend %s, mode %s, %s, %s%n", share, root.toRealPath(), server.backendName(), mode,
                writable ? "writable" : "read-only", users == null ? "anonymous and guest only" : "accounts of " + users);
        System.out.println("listening on " + bound);
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
