package dev.tevent4j.bench.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The plain JDK peer: one thread, one {@link Selector}, one shared direct buffer, written the way
 * a careful hand-rolled NIO loop is. Same echo rules as the others: one read per readiness, write
 * straight back, keep the rest and wait for OP_WRITE only when the send buffer is full.
 */
public final class NioEchoServer {
    private static final int BUFFER = 64 * 1024;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);

    public NioEchoServer(int port) throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    public int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /** Serves until the calling thread is interrupted, then closes everything. */
    public void run() throws IOException {
        try {
            serve();
        } finally {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }
    }

    private void serve() throws IOException {
        while (!Thread.currentThread().isInterrupted()) {
            selector.select();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                if (!key.isValid()) continue;
                if (key.isAcceptable()) {
                    accept();
                } else if (key.isWritable()) {
                    flush(key);
                } else if (key.isReadable()) {
                    echo(key);
                }
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ);
        }
    }

    private void echo(SelectionKey key) {
        SocketChannel ch = (SocketChannel) key.channel();
        try {
            buffer.clear();
            int n = ch.read(buffer);
            if (n < 0) {
                close(key);
                return;
            }
            buffer.flip();
            ch.write(buffer);
            if (buffer.hasRemaining()) {
                ByteBuffer rest = ByteBuffer.allocateDirect(buffer.remaining());
                rest.put(buffer).flip();
                key.attach(rest);
                key.interestOps(SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            close(key);
        }
    }

    private void flush(SelectionKey key) {
        ByteBuffer rest = (ByteBuffer) key.attachment();
        try {
            ((SocketChannel) key.channel()).write(rest);
            if (!rest.hasRemaining()) {
                key.attach(null);
                key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            close(key);
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing a broken connection: nothing left to do
        }
    }
}
