package dev.tevent4j.samples;

import java.io.File;

/**
 * Counts this process's open sockets, pipes and anon inodes (eventfd, epoll, io_uring) from
 * /proc/self/fd, for leak checks; regular files are left out because class loading opens jars.
 */
final class TestFds {
    private TestFds() {}

    static long count() {
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
