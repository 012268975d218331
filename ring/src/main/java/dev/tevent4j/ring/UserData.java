package dev.tevent4j.ring;

/**
 * The one codec for the 64-bit user_data that tevent4j puts in its SQEs and reads back from the
 * completions. Everything that shares a ring (the ring's AsyncIo, the uring backend's polls, a
 * daemon's own SQEs) encodes with these methods, so a completion is routed by its two top bits
 * without a lookup and no two owners' values can collide.
 *
 * <pre>
 *  63 62 61                            32 31                             0
 * +-----+--------------------------------+--------------------------------+
 * |kind |  generation (30 bits)          |  index: AsyncIo slot, or fd    |  OP, POLL, POLL_REMOVE
 * +-----+--------------------------------+--------------------------------+
 * | 01  |  payload (62 bits), dropped unread ...                            |  IGNORED
 * +-----+--------------------------------+--+-----------------------------+
 * | 01  |  generation of the target      |1 |  the target's slot (31 bits) |  IGNORED, a targeted cancel
 * +-----+--------------------------------+--+-----------------------------+
 *
 *  kind 00 OP           an AsyncIo op: index = the op's slot, generation = the slot's reuse count
 *  kind 01 IGNORED      a completion nobody waits for: tevent4j's own ASYNC_CANCELs, the usability
 *                       probe's NOP, and a daemon's fire-and-forget SQEs ({@link #ignored})
 *                       ... but for payloads with bit 31 set: tevent4j's ASYNC_CANCEL aimed
 *                       at one op of a chain ({@link #targetedCancel}), whose ENOENT it retries;
 *                       a daemon's own IGNORED payloads leave bit 31 clear
 *  kind 10 POLL         a uring-backend poll: index = the fd, generation = the fd's interest epoch
 *  kind 11 POLL_REMOVE  the POLL_REMOVE of the poll with the same generation and fd
 * </pre>
 *
 * The generation makes a late completion harmless: a slot or fd reused since its SQE was filled
 * has moved on to another generation, so the stale completion is recognised and dropped. Thirty
 * bits wrap after a billion reuses of one slot, far beyond the lifetime of any op in flight.
 * Every method is a static shift-and-mask: nothing is allocated.
 */
public final class UserData {
    private UserData() {}

    /** Kind of an AsyncIo op's user_data (top bits 00). */
    public static final int OP = 0;
    /** Kind of a user_data whose completion tevent4j drops unread (top bits 01). */
    public static final int IGNORED = 1;
    /** Kind of a uring-backend poll's user_data (top bits 10). */
    public static final int POLL = 2;
    /** Kind of a uring-backend poll removal's user_data (top bits 11). */
    public static final int POLL_REMOVE = 3;

    /** Mask of the 30-bit generation field (after shifting it down). */
    public static final int GENERATION_MASK = 0x3FFF_FFFF;
    private static final int KIND_SHIFT = 62, GENERATION_SHIFT = 32;
    private static final long PAYLOAD_MASK = (1L << KIND_SHIFT) - 1;

    /**
     * Encodes a user_data of kind OP, POLL or POLL_REMOVE.
     *
     * @param kind 0-3
     * @param generation masked to 30 bits
     * @param index an AsyncIo slot or an fd
     * @return the user_data
     */
    public static long encode(int kind, int generation, int index) {
        return ((long) kind << KIND_SHIFT) | ((long) (generation & GENERATION_MASK) << GENERATION_SHIFT)
                | Integer.toUnsignedLong(index);
    }

    /**
     * An AsyncIo op's user_data: kind {@link #OP}.
     *
     * @param generation the slot's generation
     * @param slot the slot's index
     * @return the user_data
     */
    public static long op(int generation, int slot) {
        return encode(OP, generation, slot);
    }

    /**
     * A uring-backend poll's user_data: kind {@link #POLL}.
     *
     * @param generation the fd's generation
     * @param fd the fd
     * @return the user_data
     */
    public static long poll(int generation, int fd) {
        return encode(POLL, generation, fd);
    }

    /**
     * The user_data of a POLL_REMOVE: kind {@link #POLL_REMOVE}, the poll's generation and fd.
     *
     * @param pollUserData the user_data of the poll removed
     * @return the removal's user_data
     */
    public static long removalOf(long pollUserData) {
        return pollUserData | ((long) POLL_REMOVE << KIND_SHIFT);
    }

    /**
     * The poll a POLL_REMOVE targets: the inverse of {@link #removalOf}.
     *
     * @param removalUserData a user_data of kind POLL_REMOVE
     * @return the same generation and fd with kind {@link #POLL}
     */
    public static long pollOf(long removalUserData) {
        return (removalUserData & ~(1L << KIND_SHIFT)) | (1L << 63);
    }

    /**
     * A user_data of kind {@link #IGNORED} carrying the low 62 bits of {@code payload}: the value a
     * daemon gives an SQE it fills itself and whose completion it does not need (tevent4j reaps
     * and drops it). Also what tevent4j uses for its own cancels and probes.
     *
     * @param payload any value; its top two bits are dropped
     * @return the user_data
     */
    public static long ignored(long payload) {
        return ((long) IGNORED << KIND_SHIFT) | (payload & PAYLOAD_MASK);
    }

    /** Payload bit of a targeted cancel: above any slot index. */
    private static final long TARGETED = 1L << 31;

    /**
     * The user_data of an ASYNC_CANCEL aimed at the op whose user_data is {@code opUserData}.
     *
     * @param opUserData a user_data of kind {@link #OP}
     * @return an IGNORED user_data that names the target
     */
    public static long targetedCancel(long opUserData) {
        return ignored(TARGETED | opUserData);
    }

    /**
     * Whether {@code userData} is a {@link #targetedCancel}'s.
     *
     * @param userData a user_data
     * @return true for a targeted cancel
     */
    public static boolean isTargetedCancel(long userData) {
        return kind(userData) == IGNORED && (userData & TARGETED) != 0;
    }

    /**
     * The op a targeted cancel was aimed at.
     *
     * @param cancelUserData a {@link #targetedCancel}'s user_data
     * @return the op's user_data (kind {@link #OP})
     */
    public static long targetOf(long cancelUserData) {
        return op(generation(cancelUserData), (int) (cancelUserData & ~TARGETED));
    }

    /**
     * The kind of a user_data.
     *
     * @param userData a user_data
     * @return 0-3: {@link #OP}, {@link #IGNORED}, {@link #POLL} or {@link #POLL_REMOVE}
     */
    public static int kind(long userData) {
        return (int) (userData >>> KIND_SHIFT);
    }

    /**
     * Whether a user_data belongs to the uring backend's polls.
     *
     * @param userData a user_data
     * @return whether its kind is POLL or POLL_REMOVE (bit 63 set)
     */
    public static boolean isPollKind(long userData) {
        return userData < 0;
    }

    /**
     * The generation field.
     *
     * @param userData a user_data of kind OP, POLL or POLL_REMOVE
     * @return its 30-bit generation
     */
    public static int generation(long userData) {
        return (int) (userData >>> GENERATION_SHIFT) & GENERATION_MASK;
    }

    /**
     * The index field.
     *
     * @param userData a user_data of kind OP, POLL or POLL_REMOVE
     * @return its index: an AsyncIo slot, or an fd
     */
    public static int index(long userData) {
        return (int) userData;
    }

    /**
     * The payload field.
     *
     * @param userData a user_data of kind IGNORED
     * @return its 62-bit payload
     */
    public static long payload(long userData) {
        return userData & PAYLOAD_MASK;
    }

    /**
     * The next generation.
     *
     * @param generation a generation
     * @return the one after it, wrapping within 30 bits
     */
    public static int nextGeneration(int generation) {
        return (generation + 1) & GENERATION_MASK;
    }
}
