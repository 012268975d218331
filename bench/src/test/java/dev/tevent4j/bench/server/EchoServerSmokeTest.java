package dev.tevent4j.bench.server;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The benchmark servers must echo correctly, or their figures mean nothing. One message over a
 * real loopback socket per server; nothing here is timed.
 */
class EchoServerSmokeTest {
    private static final byte[] MESSAGE = "tevent4j echo smoke test".getBytes(StandardCharsets.US_ASCII);

    @Test
    void everyTeventBackendServerEchoesOneMessage() throws Exception {
        for (String backend : EventLoop.backends()) {
            CompletableFuture<TeventEchoServer> started = new CompletableFuture<>();
            Thread loop = Thread.ofPlatform().name("echo-" + backend).start(() -> {
                try (TeventEchoServer s = new TeventEchoServer(backend, 0)) {
                    started.complete(s);
                    s.run();
                } catch (Throwable t) {
                    started.completeExceptionally(t);
                }
            });
            TeventEchoServer server = started.get(10, TimeUnit.SECONDS);
            try {
                assertEquals(MESSAGE.length, echoOnce(server.port()).length, backend);
                assertArrayEquals(MESSAGE, echoOnce(server.port()), backend);
            } finally {
                server.stop();
                loop.join(10_000);
            }
        }
    }

    @Test
    void nioServerEchoesOneMessage() throws Exception {
        NioEchoServer server = new NioEchoServer(0);
        Thread loop = Thread.ofPlatform().daemon().name("echo-nio").start(() -> {
            try {
                server.run();
            } catch (Exception ignored) {
                // closing on the way out; the assertion below is what matters
            }
        });
        try {
            assertArrayEquals(MESSAGE, echoOnce(server.port()));
        } finally {
            loop.interrupt(); // wakes select(), run() sees the flag and closes the sockets
            loop.join(10_000);
        }
    }

    private static byte[] echoOnce(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(MESSAGE);
            out.flush();
            InputStream in = s.getInputStream();
            return in.readNBytes(MESSAGE.length);
        }
    }
}
