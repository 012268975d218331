/**
 * JMH micro-benchmarks of the loop, each parameterised by {@code backend}. Run them with
 * {@code bench/jmh.sh}, which fills {@code backend} with every name in
 * {@link dev.tevent4j.EventLoop#backends()} (so a new backend joins by itself) and adds
 * {@code -prof gc} for bytes/op.
 *
 * <p>Not here yet, on purpose: {@code AsyncIo} benchmarks (a {@code nop()} round trip, and 4 KiB
 * page-cache {@code read()}s at queue depths 1 and 32). {@code EventLoop.io()} and the io_uring
 * ring do not exist yet; they belong next to these classes as {@code AsyncIoBench} once the
 * hybrid and uring backends land, with the thread-pool fallback of the epoll backend as the
 * baseline.
 */
package dev.tevent4j.bench.micro;
