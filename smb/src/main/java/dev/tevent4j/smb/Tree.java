package dev.tevent4j.smb;

/** A tree connect: the share a session reached (only the one disk share exists). */
record Tree(int id, long sessionId, boolean writable) {}
