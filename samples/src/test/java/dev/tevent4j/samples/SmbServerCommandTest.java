package dev.tevent4j.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/tevent4j smb-server}: the one stdout line the bench waits for, a NEGOTIATE answered, bad options refused. */
class SmbServerCommandTest {
    @TempDir
    Path dir;

    private Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.tevent4j.samples.Main", "smb-server"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    @Test
    void printsListeningOnPortAndAnswersANegotiate() throws Exception {
        Process p = start("--root", dir.toString(), "--share", "data", "--port", "0", "--mode", "threadpool");
        try {
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(line != null && line.matches("listening on \\d+"), "first stdout line: " + line + "; stderr: " + Files.readString(dir.resolve("stderr.txt")));
            int port = Integer.parseInt(line.substring("listening on ".length()));
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                ByteBuffer m = ByteBuffer.allocate(4 + 64 + 38).order(ByteOrder.LITTLE_ENDIAN);
                m.order(ByteOrder.BIG_ENDIAN).putInt(64 + 38).order(ByteOrder.LITTLE_ENDIAN);
                m.putInt(0x424D53FE).putShort((short) 64).putShort((short) 0).putInt(0).putShort((short) 0).putShort((short) 1);
                m.put(new byte[48]);
                m.putShort((short) 36).putShort((short) 1).putShort((short) 1).putShort((short) 0).putInt(0).put(new byte[24]).putShort((short) 0x0210);
                s.getOutputStream().write(m.array());
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] resp = new byte[in.readInt()];
                in.readFully(resp);
                ByteBuffer r = ByteBuffer.wrap(resp).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(0x424D53FE, r.getInt(0));
                assertEquals(0, r.getInt(8), "STATUS_SUCCESS");
                assertEquals(0x0210, r.getShort(64 + 4), "dialect 2.1 chosen");
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void refused(String expected, String... args) throws Exception {
        Process p = start(args);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertTrue(err.contains(expected) && !err.contains("\tat "), err);
    }

    @Test
    void badOptionsAreOneLineAndExitCode2() throws Exception {
        refused("--root is not a directory", "--root", dir.resolve("missing").toString(), "--share", "data", "--port", "0", "--mode", "threadpool");
        Files.writeString(dir.resolve("users"), "alice\n");
        refused("line 1 is not name:password", "--root", dir.toString(), "--share", "data", "--port", "0", "--mode", "threadpool",
                "--users", dir.resolve("users").toString());
        refused("--share must be", "--root", dir.toString(), "--share", "a/b", "--port", "0", "--mode", "threadpool");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            refused("is in use", "--root", dir.toString(), "--share", "data", "--port", String.valueOf(taken.getLocalPort()), "--mode", "threadpool");
        }
    }

    @Test
    void aRingModeOnEpollIsRefusedWithExitCode2() throws Exception {
        Process p = start("--root", dir.toString(), "--share", "data", "--port", "0", "--mode", "ring", "--backend", "epoll");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertTrue(err.contains("--mode ring needs io_uring"), err);
    }
}
