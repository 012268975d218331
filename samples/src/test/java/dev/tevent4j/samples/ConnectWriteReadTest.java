package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import dev.tevent4j.Request;
import dev.tevent4j.RequestException;
import dev.tevent4j.linux.ErrnoException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Runs the send/recv sample against a real loopback server. */
@Timeout(30)
class ConnectWriteReadTest {
    private EventLoop loop;
    private ServerSocket server;
    private Thread serverThread;
    private final List<Socket> accepted = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        loop = EventLoop.open("epoll");
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws Exception {
        loop.close();
        server.close();
        synchronized (accepted) {
            for (Socket s : accepted) s.close();
        }
        if (serverThread != null) serverThread.join(5000);
    }

    /** Serves connections on a thread: each gets one reply line from {@code reply}, or none. */
    private void serve(boolean answer) {
        serverThread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    synchronized (accepted) {
                        accepted.add(s);
                    }
                    if (!answer) continue;
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    String line = in.readLine();
                    OutputStream out = s.getOutputStream();
                    out.write(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    return;
                }
            }
        }, "loopback-server");
        serverThread.start();
    }

    private static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void exchangeConnectsWritesAndReadsTheReply() {
        serve(true);
        Request<String> req = ConnectWriteRead.exchangeSend(loop, server.getLocalPort(), "hello", Duration.ofSeconds(5));
        req.await();
        assertEquals("echo: hello", ConnectWriteRead.exchangeRecv(req));
    }

    @Test
    void severalExchangesRunConcurrentlyOnOneLoop() {
        serve(true);
        List<Request<String>> reqs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            reqs.add(ConnectWriteRead.exchangeSend(loop, server.getLocalPort(), "n" + i, Duration.ofSeconds(5)));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals("echo: n" + i, reqs.get(i).await());
        }
    }

    @Test
    void refusedConnectionFailsWithEconnrefused() throws IOException {
        int port = server.getLocalPort();
        server.close(); // nobody listens there now
        Request<String> req = ConnectWriteRead.exchangeSend(loop, port, "hello", Duration.ofSeconds(5));
        RequestException e = assertThrows(RequestException.class, req::await);
        ErrnoException errno = assertInstanceOf(ErrnoException.class, e.getCause());
        assertEquals("ECONNREFUSED", errno.errnoName());
    }

    @Test
    void silentServerFailsTheExchangeWithATimeoutAndLeaksNoFd() throws IOException {
        serve(false);
        long before = openFds();
        Request<String> req = ConnectWriteRead.exchangeSend(loop, server.getLocalPort(), "hello", Duration.ofMillis(100));
        RequestException e = assertThrows(RequestException.class, req::await);
        assertInstanceOf(TimeoutException.class, e.getCause());
        synchronized (accepted) {
            for (Socket s : accepted) s.close(); // the server's end of the connection
            accepted.clear();
        }
        assertEquals(before, openFds(), "the client socket is closed by the exchange's cleanup");
        loop.addTimer(Duration.ZERO, (t, now) -> { });
        loop.run(); // no fd event of the cancelled steps is left: run() returns at once
    }
}
