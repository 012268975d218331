package dev.tevent4j;

/**
 * A backend found on the class or module path and whether it works here, as
 * {@link EventLoop#availableBackends()} reports it.
 *
 * @param name          what {@link EventLoop#open(String)} and {@code -Dtevent4j.backend} take
 * @param usable        whether a loop can be opened with it on this machine and JVM
 * @param reason        null when usable; else why not, naming the fix (a JVM flag, a sysctl, the
 *                      platform found)
 * @param isDefault     whether {@link EventLoop#open()} picks it when no backend is named
 * @param experimental  never picked as the default even when usable
 */
public record Backend(String name, boolean usable, String reason, boolean isDefault, boolean experimental) {
    @Override
    public String toString() {
        return name + (usable ? (isDefault ? " (usable, default)" : " (usable)") : " (not usable: " + reason + ")");
    }
}
