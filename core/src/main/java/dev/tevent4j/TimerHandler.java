package dev.tevent4j;

/** Called on the loop thread when a {@link TimerEvent} fires. */
@FunctionalInterface
public interface TimerHandler {
    /**
     * @param te the timer, already detached: {@code te.isActive()} is false unless re-armed
     * @param nowNanos the {@link System#nanoTime()} value the timer phase started with
     */
    void onTimer(TimerEvent te, long nowNanos);
}
