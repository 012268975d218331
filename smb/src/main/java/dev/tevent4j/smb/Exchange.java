package dev.tevent4j.smb;

import java.lang.foreign.MemorySegment;

/**
 * The message being handled: the request (header and body), who sent it, and what the handler
 * answers with. One per connection, reused for every message (a connection handles one at a time).
 */
final class Exchange {
    MemorySegment request;     // the whole message: header at 0, body at 64
    int command;
    long sessionId;
    int treeId;
    Session session;           // null before a session exists (NEGOTIATE, SESSION_SETUP's first leg, ECHO)
    Tree tree;
    boolean related;
    boolean signed;            // the request carried a signature that was checked
    int bodyLength;            // set by the handler when it answers with its command's body
    Session signWith;          // set by SESSION_SETUP: sign its final response with the new session's key
    long createdFileId = -1;   // set by CREATE: the FileId later related requests name as all ones
    long responseSessionId;
    java.util.function.Consumer<MemorySegment> afterResponse; // sees the finished response message (the preauth hash)    // set by SESSION_SETUP: the session id the response names, when the request had none

    void reset(MemorySegment request) {
        this.request = request;
        command = Smb2Header.command(request);
        session = null;
        tree = null;
        signed = false;
        bodyLength = 0;
        signWith = null;
        createdFileId = -1;
        responseSessionId = 0;
        afterResponse = null;
    }

    /** The request body's size (the message less its header). */
    long bodySize() {
        return request.byteSize() - Smb2Header.SIZE;
    }

    /** The request body's StructureSize field. */
    int structureSize() {
        return bodySize() >= 2 ? Wire.u16(request, Smb2Header.SIZE) : -1;
    }

    /**
     * The bytes at [offset, offset + length) of the message, where offset counts from the start of
     * the SMB2 header as every buffer offset of MS-SMB2 does; null when outside the message.
     */
    MemorySegment buffer(long offset, long length) {
        if (length == 0) return MemorySegment.NULL;
        if (offset < Smb2Header.SIZE || length < 0 || offset + length > request.byteSize()) return null;
        return request.asSlice(offset, length);
    }
}
