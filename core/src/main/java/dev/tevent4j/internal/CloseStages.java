package dev.tevent4j.internal;

import dev.tevent4j.spi.LoopServices.CloseStage;

import java.util.ArrayList;
import java.util.List;

/**
 * The hooks a loop's close runs, per {@link CloseStage}: every DRAIN_IO hook first, then every
 * RELEASE hook, each stage in the order added. A hook that throws is reported and the rest still
 * run. The stages run once; later calls do nothing.
 */
final class CloseStages {
    private final Loop loop;
    // DRAIN_IO runs before every RELEASE hook: AsyncIo cancels and drains its ops there, so the
    // kernel or a worker is done with every buffer before open requests are failed and their
    // cleanup functions free them.
    private final List<Runnable> drainIo = new ArrayList<>(2);
    private final List<Runnable> release = new ArrayList<>(2);
    private boolean ran;

    CloseStages(Loop loop) {
        this.loop = loop;
    }

    void add(CloseStage stage, Runnable hook) {
        (stage == CloseStage.DRAIN_IO ? drainIo : release).add(hook);
    }

    /** Runs both stages, once; the hooks' exceptions go to the loop's uncaught handler. */
    void run() {
        if (ran) return;
        ran = true;
        runAll(drainIo);
        runAll(release);
    }

    // By index: a hook added by a hook of the same stage runs in that stage too.
    private void runAll(List<Runnable> hooks) {
        for (int i = 0; i < hooks.size(); i++) {
            Runnable hook = hooks.get(i);
            try {
                hook.run();
            } catch (Throwable t) {
                loop.reportUncaught(hook, t);
            }
        }
    }
}
