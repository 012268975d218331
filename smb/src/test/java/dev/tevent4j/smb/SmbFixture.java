package dev.tevent4j.smb;

import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** A running server over a temporary share, and smbj clients for it. */
final class SmbFixture implements AutoCloseable {
    final Path root;
    final SmbServer server;
    final int port;

    SmbFixture(Path root, ReadMode mode, String backend, boolean writable, Users users) throws IOException {
        this.root = root;
        server = new SmbServer(new SmbOptions(root, "data").port(0).mode(mode).backend(backend).writable(writable).users(users));
        port = server.start();
    }

    static SmbFixture threadpool(Path root, boolean writable, Users users) throws IOException {
        return new SmbFixture(root, ReadMode.threadpool, null, writable, users);
    }

    static SMBClient client(boolean signingRequired, SMB2Dialect... dialects) {
        SmbConfig.Builder b = SmbConfig.builder().withTimeout(20, TimeUnit.SECONDS).withSoTimeout(30, TimeUnit.SECONDS)
                .withSigningRequired(signingRequired).withDfsEnabled(false);
        if (dialects.length > 0) b.withDialects(dialects);
        return new SMBClient(b.build());
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    @Override
    public void close() {
        server.close();
    }
}
