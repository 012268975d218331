package dev.tevent4j.spi;

/**
 * The argument checks of registered buffers and files, shared by the ring and the thread pool
 * so both refuse the same calls with the same message. The limits are io_uring's.
 */
public final class RegisteredArgs {
    /** IORING_MAX_REG_BUFFERS: the most buffers in one table. */
    public static final int MAX_BUFFERS = 1 << 14;
    /** The largest registered buffer io_uring accepts (1 GiB). */
    public static final int MAX_BUFFER_SIZE = 1 << 30;
    /** IORING_MAX_FIXED_FILES: the most slots in one file table. */
    public static final int MAX_FILES = 1 << 20;
    /** x86_64's page size: the buffer memory is aligned to it. */
    public static final long PAGE = 4096;

    private RegisteredArgs() {}

    /**
     * Checks {@link dev.tevent4j.AsyncIo#registerBuffers}' arguments.
     *
     * @param count how many buffers
     * @param size the bytes of each
     * @throws IllegalArgumentException naming the value out of range
     */
    public static void table(int count, int size) {
        if (count < 1 || count > MAX_BUFFERS) {
            throw new IllegalArgumentException("count " + count + " is not in 1.." + MAX_BUFFERS);
        }
        if (size < 1 || size > MAX_BUFFER_SIZE) {
            throw new IllegalArgumentException("size " + size + " is not in 1.." + MAX_BUFFER_SIZE);
        }
    }

    /**
     * Checks a buffer index.
     *
     * @param index the buffer
     * @param count the table's buffers
     * @throws IllegalArgumentException when it is not in 0..count-1
     */
    public static void bufferIndex(int index, int count) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("buffer index " + index + " is not in 0.." + (count - 1));
        }
    }

    /**
     * Checks an op's buffer index and length.
     *
     * @param index the buffer
     * @param length the bytes the op moves
     * @param count the table's buffers
     * @param size the table's buffer size
     * @throws IllegalArgumentException naming the value out of range
     */
    public static void bufferOp(int index, int length, int count, int size) {
        bufferIndex(index, count);
        if (length < 1 || length > size) {
            throw new IllegalArgumentException("length " + length + " is not in 1.." + size + " (the buffer size)");
        }
    }

    /**
     * Checks {@link dev.tevent4j.AsyncIo#registerFiles}' capacity.
     *
     * @param capacity how many slots
     * @throws IllegalArgumentException out of range
     */
    public static void capacity(int capacity) {
        if (capacity < 1 || capacity > MAX_FILES) {
            throw new IllegalArgumentException("capacity " + capacity + " is not in 1.." + MAX_FILES);
        }
    }

    /**
     * Checks a slot.
     *
     * @param slot the slot
     * @param capacity the table's slots
     * @throws IllegalArgumentException out of range
     */
    public static void slot(int slot, int capacity) {
        if (slot < 0 || slot >= capacity) {
            throw new IllegalArgumentException("slot " + slot + " is not in 0.." + (capacity - 1));
        }
    }
}
