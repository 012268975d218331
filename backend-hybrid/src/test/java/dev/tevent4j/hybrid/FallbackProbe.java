package dev.tevent4j.hybrid;

import dev.tevent4j.EventLoop;

/** Run in a child JVM by {@link HybridFallbackTest}: opens the default loop and prints what it got. */
public final class FallbackProbe {
    public static void main(String[] args) {
        try (EventLoop loop = EventLoop.open()) {
            System.out.println("default=" + loop.backendName());
            System.out.println("usable=" + EventLoop.backends());
            System.out.println("io=" + loop.io().kind());
        }
        try {
            EventLoop.open("hybrid").close();
            System.out.println("hybrid=opened");
        } catch (UnsupportedOperationException e) {
            System.out.println("hybrid=refused: " + e.getMessage());
        }
    }
}
