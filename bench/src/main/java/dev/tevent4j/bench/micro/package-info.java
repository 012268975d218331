/**
 * JMH micro-benchmarks of the loop, each parameterised by {@code backend}. Run them with
 * {@code bench/jmh.sh}, which fills {@code backend} with every name in
 * {@link dev.tevent4j.EventLoop#backends()} (so a new backend joins by itself) and adds
 * {@code -prof gc} for bytes/op.
 *
 * <p>{@code AsyncIo}: {@link dev.tevent4j.bench.micro.AsyncIoBench} ({@code nop()}) and
 * {@link dev.tevent4j.bench.micro.AsyncIoReadBench} (4 KiB page-cache {@code read()}s, the file
 * on ext4 or tmpfs), each one op at a time and 64 in flight, compare the io_uring ring (the
 * "hybrid" backend; "uring" will join by itself) with the thread pool of the "epoll" backend.
 * {@link dev.tevent4j.bench.micro.RegisteredBufferReadBench} compares a 4 KiB tmpfs read into a
 * plain buffer with one into a registered buffer (READ_FIXED on the ring).
 * {@link dev.tevent4j.bench.micro.HybridNotifyBench} does not take {@code backend}: it always
 * opens "hybrid" and compares its two completion notifications
 * ({@code -Dtevent4j.hybrid.notify=eventfd|ringfd}); {@code bench/hybrid-notify.sh} counts the
 * syscalls of the same round trips with strace. Results: docs/benchmarks.md and
 * docs/hybrid-notify.md.
 */
package dev.tevent4j.bench.micro;
