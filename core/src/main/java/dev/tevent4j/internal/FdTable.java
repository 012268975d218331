package dev.tevent4j.internal;

/** Fd-indexed slots: a lookup per ready fd is one array load, no hashing or boxing. */
final class FdTable {
    private FdSlot[] slots = new FdSlot[256];

    FdSlot get(int fd) {
        return fd < slots.length ? slots[fd] : null;
    }

    FdSlot getOrCreate(int fd) {
        if (fd >= slots.length) {
            FdSlot[] grown = new FdSlot[Math.max(fd + 1, slots.length * 2)];
            System.arraycopy(slots, 0, grown, 0, slots.length);
            slots = grown;
        }
        FdSlot s = slots[fd];
        if (s == null) {
            s = new FdSlot(fd);
            slots[fd] = s;
        }
        return s;
    }

    void remove(int fd) {
        slots[fd] = null;
    }

    /** Every slot present, for teardown. */
    FdSlot[] snapshot() {
        int n = 0;
        for (FdSlot s : slots) {
            if (s != null) n++;
        }
        FdSlot[] out = new FdSlot[n];
        int j = 0;
        for (FdSlot s : slots) {
            if (s != null) out[j++] = s;
        }
        return out;
    }
}
