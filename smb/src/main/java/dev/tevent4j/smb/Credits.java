package dev.tevent4j.smb;

/**
 * The credit window of one connection (MS-SMB2 3.3.1.1, 3.3.5.2.3): the message ids a client
 * may use are those granted so far and not used yet. A request with CreditCharge c uses the c
 * ids from its MessageId on, each id once. Grants keep at most {@link #MAX_OUTSTANDING} ids
 * open and never leave the client with none; the window from the lowest unused id to the
 * highest granted one spans at most {@link #WINDOW} ids (a client that never uses an id cannot
 * make it grow without bound). No allocation per request: a circular bitmap.
 */
final class Credits {
    static final int MAX_OUTSTANDING = 512;
    static final int WINDOW = 8192;

    private long low;            // every id below is used
    private long high = 1;       // ids below were granted (NEGOTIATE's id 0 comes free)
    private int usedInWindow;
    private final long[] bits = new long[WINDOW / 64];

    /** Whether ids [messageId, messageId + charge) are granted and unused; if so marks them used. */
    boolean consume(long messageId, int charge) {
        if (charge < 1 || messageId < low || messageId >= high || charge > high - messageId) return false;
        for (long id = messageId; id < messageId + charge; id++) {
            if (isUsed(id)) return false;
        }
        for (long id = messageId; id < messageId + charge; id++) flip(id);
        usedInWindow += charge;
        while (low < high && isUsed(low)) {
            flip(low++);
            usedInWindow--;
        }
        return true;
    }

    /** Grants up to {@code asked} more credits (at least 1 if none would be left); returns the grant. */
    int grant(int asked) {
        long outstanding = outstanding();
        long g = Math.min(Math.max(asked, 1), Math.max(MAX_OUTSTANDING - outstanding, 0));
        if (outstanding + g < 1) g = 1;
        g = Math.min(g, WINDOW - (high - low));
        high += g;
        return (int) g;
    }

    /** Ids granted and not used yet. */
    long outstanding() {
        return high - low - usedInWindow;
    }

    private boolean isUsed(long id) {
        int i = (int) (id % WINDOW);
        return (bits[i >>> 6] & 1L << (i & 63)) != 0;
    }

    private void flip(long id) {
        int i = (int) (id % WINDOW);
        bits[i >>> 6] ^= 1L << (i & 63);
    }
}
