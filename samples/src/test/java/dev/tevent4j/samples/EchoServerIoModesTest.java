package dev.tevent4j.samples;

import dev.tevent4j.EventLoop;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** echo-server on every backend with both --io modes: every byte back, idle connections pin no buffer. */
@Timeout(120)
class EchoServerIoModesTest {
    static Stream<Arguments> backendsAndModes() {
        return EventLoop.backends().stream().flatMap(b -> Stream.of(Arguments.of(b, ServerOptions.IoMode.fd), Arguments.of(b, ServerOptions.IoMode.ring)));
    }

    static Stream<String> backends() {
        return EventLoop.backends().stream();
    }

    static EchoServer server(String backend, ServerOptions.IoMode io) throws Exception {
        EchoServer s = new EchoServer();
        ServerFixtures.loopback(s.net, backend, 2);
        s.net.io = io;
        s.buffers = 64; // fewer buffers than connections: ENOBUFS and its re-arm get exercised
        s.bufferSize = 4096;
        s.start();
        return s;
    }

    @ParameterizedTest
    @MethodSource("backendsAndModes")
    void echoesEveryByteOver200Connections(String backend, ServerOptions.IoMode io) throws Exception {
        try (EchoServer s = server(backend, io)) {
            List<Socket> socks = new ArrayList<>();
            try {
                for (int c = 0; c < 200; c++) socks.add(new Socket(InetAddress.getLoopbackAddress(), s.port()));
                List<Thread> threads = new ArrayList<>();
                Throwable[] failure = new Throwable[1];
                for (int c = 0; c < socks.size(); c++) {
                    Socket sock = socks.get(c);
                    byte[] data = new byte[20_000 + c * 97];
                    for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + c * 7);
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            Thread w = Thread.ofPlatform().start(() -> {
                                try { sock.getOutputStream().write(data); } catch (Exception e) { synchronized (failure) { failure[0] = e; } }
                            });
                            byte[] got = new InputStream[] {sock.getInputStream()}[0].readNBytes(data.length);
                            w.join();
                            if (!Arrays.equals(data, got)) throw new AssertionError("bytes differ on a connection");
                        } catch (Throwable e) {
                            synchronized (failure) { failure[0] = e; }
                        }
                    }));
                }
                for (Thread t : threads) t.join();
                if (failure[0] != null) throw new AssertionError(backend + " " + io, failure[0]);
            } finally {
                for (Socket sock : socks) sock.close();
            }
        }
    }

    /** Only the ring path has a buffer ring; the fd path's connections share one read buffer per loop. */
    @ParameterizedTest
    @MethodSource("backends")
    void idleConnectionsPinNoBuffer(String backend) throws Exception {
        try (EchoServer s = server(backend, ServerOptions.IoMode.ring)) {
            List<Socket> socks = new ArrayList<>();
            try {
                for (int c = 0; c < 100; c++) {
                    Socket sock = new Socket(InetAddress.getLoopbackAddress(), s.port());
                    socks.add(sock);
                    sock.getOutputStream().write(new byte[] {1, 2, 3});
                    assertArrayEquals(new byte[] {1, 2, 3}, sock.getInputStream().readNBytes(3));
                }
                Thread.sleep(100);
                for (int free : s.freeBuffers()) assertEquals(64, free, "every buffer back in the ring");
            } finally {
                for (Socket sock : socks) sock.close();
            }
        }
    }

    /** A peer that stops reading for a while: the server holds what it could not send, then sends it all, in order. */
    @ParameterizedTest
    @MethodSource("backendsAndModes")
    void aSlowReaderGetsEveryByteBackInOrder(String backend, ServerOptions.IoMode io) throws Exception {
        try (EchoServer s = server(backend, io);
             Socket sock = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            byte[] data = new byte[8 << 20];
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 13 + (i >> 12));
            Throwable[] failure = new Throwable[1];
            Thread w = Thread.ofPlatform().start(() -> {
                try { sock.getOutputStream().write(data); } catch (Exception e) { failure[0] = e; }
            });
            Thread.sleep(300); // both socket buffers fill: the server's writes meet EAGAIN
            byte[] got = sock.getInputStream().readNBytes(data.length);
            w.join();
            if (failure[0] != null) throw new AssertionError(backend + " " + io, failure[0]);
            assertArrayEquals(data, got, backend + " " + io);
        }
    }
}
