package dev.tevent4j;

/**
 * The requests of one loop still in progress, so that closing the loop fails them and every
 * cleanup function runs (tevent frees them with their talloc parent). An intrusive list:
 * adding and removing allocate nothing.
 */
final class OpenRequests {
    private Request<?> head;

    boolean contains(Request<?> r) {
        return r.prevOpen != null || head == r;
    }

    void add(Request<?> r) {
        r.nextOpen = head;
        r.prevOpen = null;
        if (head != null) head.prevOpen = r;
        head = r;
    }

    void remove(Request<?> r) {
        if (!contains(r)) return;
        if (r.prevOpen == null) {
            if (head == r) head = r.nextOpen;
        } else {
            r.prevOpen.nextOpen = r.nextOpen;
        }
        if (r.nextOpen != null) r.nextOpen.prevOpen = r.prevOpen;
        r.prevOpen = r.nextOpen = null;
    }

    void failAll() {
        while (head != null) {
            head.settleOnLoopClose();
        }
    }
}
