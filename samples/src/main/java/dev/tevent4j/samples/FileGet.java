package dev.tevent4j.samples;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bin/tevent4j fileget}: fetches one file from fileserve over N connections (each a
 * contiguous part, requested in {@code --request}-sized ranges) and prints GB/s and the CPU
 * seconds per GB of both sides: its own from the process CPU time, the server's from a STATS
 * request before and after.
 */
@Command(name = "fileget", mixinStandardHelpOptions = true,
        description = "Fetches a file from fileserve; prints GB/s and CPU s/GB of client and server.")
public final class FileGet implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--port", defaultValue = "7778", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--path", required = true, description = "File path relative to the server's root.")
    String path;
    @Option(names = {"-c", "--connections"}, defaultValue = "1", description = "Connections (default: ${DEFAULT-VALUE}).")
    int connections;
    @Option(names = "--out", defaultValue = "/dev/null", description = "Where to write the file (default: ${DEFAULT-VALUE}: the bytes are received and dropped).")
    Path out;
    @Option(names = "--request", defaultValue = "67108864", description = "Bytes per READ request (default: ${DEFAULT-VALUE}).")
    long request;
    @Option(names = "--repeat", defaultValue = "1", description = "Fetch the file this many times (default: ${DEFAULT-VALUE}).")
    int repeat;

    /** What one fetch measured. */
    public record Result(long bytes, double seconds, double clientCpuSeconds, double serverCpuSeconds) {
        public double gbPerSecond() {
            return bytes / seconds / 1e9;
        }
    }

    @Override
    public Integer call() throws Exception {
        Result r = run();
        double gb = r.bytes() / 1e9;
        System.out.printf(Locale.ROOT, "fileget: %d bytes in %.3f s = %.3f GB/s over %d connection(s); CPU s/GB: client %.3f, server %.3f%n",
                r.bytes(), r.seconds(), r.gbPerSecond(), connections, r.clientCpuSeconds() / gb, r.serverCpuSeconds() / gb);
        return 0;
    }

    public Result run() throws Exception {
        Net.checkPort(port);
        if (connections < 1 || connections > 1024) throw new IllegalArgumentException("--connections must be 1..1024, got " + connections);
        if (request < 4096) throw new IllegalArgumentException("--request must be >= 4096, got " + request);
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be >= 1, got " + repeat);
        boolean discard = out.toString().equals("/dev/null");
        try (FileClient control = new FileClient(host, port);
             FileChannel file = discard ? null : FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = control.stat(path);
            List<FileClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) clients.add(new FileClient(host, port));
                long[] before = control.serverStats();
                long cpu0 = FileServe.processCpuNanos(), t0 = System.nanoTime();
                for (int rep = 0; rep < repeat; rep++) fetch(clients, size, file);
                long t1 = System.nanoTime(), cpu1 = FileServe.processCpuNanos();
                long[] after = control.serverStats();
                return new Result(size * repeat, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9, (after[0] - before[0]) / 1e9);
            } finally {
                for (FileClient c : clients) c.close();
            }
        }
    }

    private void fetch(List<FileClient> clients, long size, FileChannel file) throws Exception {
        int n = clients.size();
        long part = (size + n - 1) / n;
        List<Thread> threads = new ArrayList<>();
        Exception[] failure = {null};
        for (int i = 0; i < n; i++) {
            FileClient c = clients.get(i);
            long start = Math.min(size, i * part), end = Math.min(size, start + part);
            threads.add(Thread.ofPlatform().name("fileget-" + i).start(() -> {
                try {
                    for (long off = start; off < end; off += request) {
                        long len = Math.min(request, end - off);
                        long got = c.read(path, off, len, file == null ? null : (buf, at) -> {
                            long pos = at;
                            while (buf.hasRemaining()) pos += file.write(buf, pos);
                        });
                        if (got != len) throw new IOException("short reply: " + got + " of " + len);
                    }
                } catch (Exception e) {
                    synchronized (failure) {
                        if (failure[0] == null) failure[0] = e;
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        if (failure[0] != null) throw failure[0];
    }
}
