package dev.tevent4j.samples;

import java.io.File;

/**
 * Counts this process's open sockets, pipes and anon inodes (eventfd, epoll, io_uring) from
 * /proc/self/fd, for leak checks; regular files are left out because class loading opens jars.
 */
final class TestFds {
    private TestFds() {}

    private static boolean warm;

    /**
     * The JDK opens an fd or two for good on its first socket use (its socket machinery);
     * one loopback connection first keeps those out of the counts.
     */
    private static synchronized void warmUp() {
        if (warm) return;
        warm = true;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             java.net.Socket c = new java.net.Socket(ss.getInetAddress(), ss.getLocalPort());
             java.net.Socket a = ss.accept()) {
            c.getOutputStream().write(1);
            a.getInputStream().read();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long count() {
        warmUp();
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds == null) return -1;
        long n = 0;
        for (File f : fds) {
            try {
                String target = java.nio.file.Files.readSymbolicLink(f.toPath()).toString();
                if (target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:")) n++;
            } catch (java.io.IOException gone) {
                // closed while listing (the listing's own fd)
            }
        }
        return n;
    }
}
