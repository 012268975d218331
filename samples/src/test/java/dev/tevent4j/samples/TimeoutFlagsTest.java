package dev.tevent4j.samples;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeout flags: shown with their defaults in --help, parsed and refused clearly; the TCP_INFO layout they rely on. */
@Timeout(60)
class TimeoutFlagsTest {
    static String help(String... args) {
        StringWriter out = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute(args));
        return out.toString().replaceAll("\\s+", " ");
    }

    @Test
    void helpShowsEveryTimeoutFlagWithItsDefault() {
        String h = help("httpd", "--help");
        assertTrue(h.contains("--header-timeout=TIME") && h.contains("(default: 20s)"), h);
        assertTrue(h.contains("--idle-timeout=TIME") && h.contains("(default: 30s)"), h);
        assertTrue(h.contains("--send-timeout=TIME") && h.contains("(default: 60s)"), h);
        String f = help("fileserve", "--help");
        assertTrue(f.contains("--frame-timeout=TIME") && f.contains("(default: 20s)"), f);
        assertTrue(f.contains("--idle-timeout=TIME") && f.contains("(default: 60s)"), f);
        assertTrue(f.contains("--send-timeout=TIME") && f.contains("(default: 60s)"), f);
        String e = help("echo-server", "--help");
        assertTrue(e.contains("--idle-timeout=TIME") && e.contains("(default: 60s)"), e);
    }

    @Test
    void defaultsAreAtMostSixtySeconds() {
        long max = TimeUnit.SECONDS.toNanos(60);
        Httpd h = new Httpd();
        assertTrue(h.headerTimeout.nanos() <= max && h.net.idleTimeout.nanos() <= max && h.sendTimeout.nanos() <= max);
        assertTrue(h.headerTimeout.enabled() && h.net.idleTimeout.enabled() && h.sendTimeout.enabled());
        FileServe f = new FileServe();
        assertTrue(f.frameTimeout.nanos() <= max && f.net.idleTimeout.nanos() <= max && f.sendTimeout.nanos() <= max);
        assertTrue(new EchoServer().net.idleTimeout.nanos() <= max);
    }

    @Test
    void parsesNginxStyleTimesAndRefusesTheRest() {
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), ServerOptions.Timeout.parse("500ms").nanos());
        assertEquals(TimeUnit.SECONDS.toNanos(20), ServerOptions.Timeout.parse("20s").nanos());
        assertEquals(TimeUnit.SECONDS.toNanos(7), ServerOptions.Timeout.parse("7").nanos());
        assertEquals(TimeUnit.MINUTES.toNanos(2), ServerOptions.Timeout.parse("2m").nanos());
        assertEquals(0, ServerOptions.Timeout.parse("0").nanos());
        assertEquals("1500ms", ServerOptions.Timeout.parse("1500ms").toString());
        assertEquals("120s", ServerOptions.Timeout.parse("2m").toString());
        for (String bad : new String[] {"", "-1s", "1.5s", "abc", "2h", "10 s", "1d"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.Timeout.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("echo-server", "--idle-timeout", "soon"));
        assertTrue(err.toString().contains("bad timeout 'soon'"), err.toString());
    }

    @Test
    void tcpInfoBytesAckedOffsetMatchesTheKernelHeader() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")) && Files.exists(Path.of("/usr/include/linux/tcp.h")),
                "gcc and linux/tcp.h are needed to check struct tcp_info");
        Path dir = Files.createTempDirectory("tcpinfo");
        try {
            Path c = dir.resolve("t.c"), exe = dir.resolve("t");
            Files.writeString(c, "#include <stdio.h>\n#include <stddef.h>\n#include <linux/tcp.h>\n"
                    + "int main(void){printf(\"%d %zu\", TCP_INFO, offsetof(struct tcp_info, tcpi_bytes_acked));return 0;}\n");
            Process cc = new ProcessBuilder("/usr/bin/gcc", "-o", exe.toString(), c.toString()).redirectErrorStream(true).start();
            String ccOut = new String(cc.getInputStream().readAllBytes());
            assertEquals(0, cc.waitFor(), ccOut);
            Process run = new ProcessBuilder(exe.toString()).start();
            String got = new String(run.getInputStream().readAllBytes()).trim();
            assertEquals(0, run.waitFor());
            assertEquals(ConnectionTimer.TCP_INFO + " " + ConnectionTimer.TCPI_BYTES_ACKED, got);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    @Test
    void bytesAckedGrowsAsThePeerTakesBytes() throws Exception {
        // A socket of our own, through Libc, so that its fd is known.
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int fd = dev.tevent4j.linux.Libc.socket(dev.tevent4j.linux.Libc.AF_INET, dev.tevent4j.linux.Libc.SOCK_STREAM, 0);
            assertTrue(fd >= 0);
            try (var a = java.lang.foreign.Arena.ofConfined()) {
                var addr = dev.tevent4j.linux.Libc.sockaddrIn(a, dev.tevent4j.linux.Libc.INADDR_LOOPBACK, ss.getLocalPort());
                assertEquals(0, dev.tevent4j.linux.Libc.connect(fd, addr, (int) addr.byteSize()));
                var info = a.allocate(ConnectionTimer.INFO_BYTES, 8);
                var len = info.asSlice(ConnectionTimer.INFO_BYTES - 4, 4);
                try (Socket peer = ss.accept()) {
                    long base = ConnectionTimer.bytesAcked(fd, info, len); // snd_una - isn: 1, the SYN
                    assertTrue(base >= 0 && base <= 1, "before sending: " + base);
                    var data = a.allocate(1000);
                    assertEquals(1000, dev.tevent4j.linux.Libc.send(fd, data, 1000, dev.tevent4j.linux.Libc.MSG_NOSIGNAL));
                    assertEquals(1000, peer.getInputStream().readNBytes(1000).length);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (ConnectionTimer.bytesAcked(fd, info, len) != base + 1000 && System.nanoTime() < deadline) Thread.sleep(10);
                    assertEquals(base + 1000, ConnectionTimer.bytesAcked(fd, info, len));
                }
            } finally {
                dev.tevent4j.linux.Libc.close(fd);
            }
        }
    }
}
