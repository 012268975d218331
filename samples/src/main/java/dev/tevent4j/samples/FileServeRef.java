package dev.tevent4j.samples;

import dev.tevent4j.linux.Libc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static dev.tevent4j.samples.FileProtocol.*;

/**
 * {@code bin/tevent4j fileserve-ref}: the bench's references for fileserve, in plain blocking
 * Java with a thread per connection and no event loop: {@code transferTo}
 * (FileChannel.transferTo, i.e. sendfile) or {@code copy} (1 MiB read + write loop). Speaks the
 * same protocol (READ, STAT, STATS; errors briefly), so fileget measures both alike.
 */
@Command(name = "fileserve-ref", mixinStandardHelpOptions = true, hidden = true,
        description = "Reference file server in blocking Java (bench only): --mode transferTo or copy.")
public final class FileServeRef implements Callable<Integer> {
    /** The reference paths. */
    public enum Mode { transferTo, copy }

    @Option(names = "--root", required = true)
    Path root;
    @Option(names = "--port", defaultValue = "7779")
    int port;
    @Option(names = "--mode", defaultValue = "copy")
    Mode mode;

    @Override
    public Integer call() throws Exception {
        RootedFiles files = new RootedFiles(root);
        try (ServerSocketChannel ss = ServerSocketChannel.open()) {
            ss.bind(new InetSocketAddress("127.0.0.1", Net.checkPort(port)));
            System.out.printf("fileserve-ref: mode %s, listening on 127.0.0.1:%d%n", mode, ((InetSocketAddress) ss.getLocalAddress()).getPort());
            while (true) {
                SocketChannel ch = ss.accept();
                Thread.ofPlatform().daemon(true).start(() -> serve(ch, files));
            }
        }
    }

    private void serve(SocketChannel ch, RootedFiles files) {
        ByteBuffer hdr = ByteBuffer.allocate(4), frame = ByteBuffer.allocate(MAX_FRAME);
        ByteBuffer reply = ByteBuffer.allocateDirect(1 << 20);
        try (ch) {
            while (true) {
                hdr.clear();
                if (!fill(ch, hdr)) return;
                int len = hdr.getInt(0);
                if (len < 1 || len > MAX_FRAME) return;
                frame.clear().limit(len);
                if (!fill(ch, frame)) return;
                frame.flip();
                int op = frame.get();
                if (op == OP_STATS) {
                    reply.clear().put((byte) OK).putLong(16).putLong(FileServe.processCpuNanos()).putLong(0).flip();
                    write(ch, reply);
                    continue;
                }
                long off = 0, n = 0;
                if (op == OP_READ) {
                    off = frame.getLong();
                    n = frame.getLong();
                }
                byte[] p = new byte[frame.getShort() & 0xffff];
                frame.get(p);
                RootedFiles.Opened r = files.open(new String(p, StandardCharsets.UTF_8));
                if (r.status() != RootedFiles.Status.OK || off < 0 || n < 0 || off > r.size() || n > r.size() - off) {
                    if (r.status() == RootedFiles.Status.OK) Libc.close(r.fd());
                    reply.clear().put((byte) BAD_REQUEST).putLong(0).flip();
                    write(ch, reply);
                    continue;
                }
                if (op == OP_STAT) {
                    Libc.close(r.fd());
                    reply.clear().put((byte) OK).putLong(8).putLong(r.size()).flip();
                    write(ch, reply);
                    continue;
                }
                reply.clear().put((byte) OK).putLong(n).flip();
                write(ch, reply);
                try (FileChannel f = channel(r.fd())) {
                    long end = off + n;
                    if (mode == Mode.transferTo) {
                        while (off < end) off += f.transferTo(off, end - off, ch);
                    } else {
                        while (off < end) {
                            reply.clear();
                            if (end - off < reply.capacity()) reply.limit((int) (end - off));
                            int got = f.read(reply, off);
                            if (got < 0) throw new EOFException();
                            reply.flip();
                            write(ch, reply);
                            off += got;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // client gone
        }
    }

    /** The fd RootedFiles opened (beneath the root) as a FileChannel: /proc/self/fd reopens that same inode. */
    private static FileChannel channel(int fd) throws IOException {
        try {
            return FileChannel.open(Path.of("/proc/self/fd/" + fd));
        } finally {
            Libc.close(fd);
        }
    }

    private static boolean fill(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) if (ch.read(b) < 0) return false;
        return true;
    }

    private static void write(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }
}
