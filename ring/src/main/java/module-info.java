/**
 * tevent4j ring: io_uring setup, the ring's probe and its {@link dev.tevent4j.AsyncIo}, shared by
 * the hybrid and uring backends and open to daemons that want the loop's ring.
 */
module dev.tevent4j.ring {
    requires transitive dev.tevent4j.core;

    exports dev.tevent4j.ring;
}
