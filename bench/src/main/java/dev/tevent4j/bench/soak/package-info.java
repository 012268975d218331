/**
 * The soak ({@code bin/tevent4j bench soak}, {@code bench/soak.sh}): every kind of event at
 * once on one loop per backend, for minutes, checking that no event is lost, duplicated or
 * reordered and that no fd or thread leaks.
 *
 * <p>{@link dev.tevent4j.bench.soak.Soak} is the command; {@code ChildRunner} starts one child
 * JVM per backend and {@code SoakRun} runs one backend's phases. The traffic, one class per
 * kind: {@code PingPong} (fd events on socketpairs), {@code TimerStorm} (timers, some
 * cancelled), {@code Immediates}, {@code ExecutorProducers} (two threads),
 * {@code AsyncNops} and {@code AsyncStream} (AsyncIo nops, and send/recv with deadlines and
 * cancels). Their counters are {@code Tally}s, filled by {@code SequenceChecker} and
 * {@code StreamChecker}; {@code ProcessStats} reads fds, threads and RSS from /proc.
 * Results: docs/benchmarks.md, section "Soak".
 */
package dev.tevent4j.bench.soak;
