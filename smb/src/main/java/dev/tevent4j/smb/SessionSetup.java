package dev.tevent4j.smb;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * SESSION_SETUP (MS-SMB2 3.3.5.5) with SPNEGO around NTLMSSP, in two legs: the client's
 * NEGOTIATE gets the CHALLENGE (STATUS_MORE_PROCESSING_REQUIRED), its AUTHENTICATE ends it.
 * A session with a key gets its {@link Signing}; 3.1.1 keys come from the session's preauth
 * hash. LOGOFF ends a session and everything opened in it.
 */
final class SessionSetup {
    private SessionSetup() {}

    static final int FLAG_IS_GUEST = 0x1, FLAG_IS_NULL = 0x2;
    static final int MAX_SESSIONS = 16;

    static int handle(SmbConnection c, Exchange x) {
        MemorySegment r = x.request;
        if (x.structureSize() != 25 || x.bodySize() < 24) return Status.INVALID_PARAMETER;
        if ((Wire.u8(r, 66) & 0x01) != 0) return Status.NOT_SUPPORTED; // binding a channel: no multichannel
        int securityMode = Wire.u8(r, 67);
        MemorySegment blobSeg = x.buffer(Wire.u16(r, 76), Wire.u16(r, 78));
        if (blobSeg == null) return Status.INVALID_PARAMETER;
        byte[] blob = blobSeg.byteSize() == 0 ? new byte[0] : blobSeg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);

        Session s = x.session;
        if (s == null) {
            if (c.sessions.size() >= MAX_SESSIONS) return Status.INSUFFICIENT_RESOURCES;
            s = new Session(c.nextSessionId++);
            c.sessions.put(s.id, s);
            if (c.dialect == Negotiate.SMB311) s.preauth = new PreauthHash(c.preauth.value());
        } else if (s.valid) {
            return Status.NOT_SUPPORTED; // re-authentication is not offered
        }
        x.responseSessionId = s.id;
        if (s.ntlm == null) s.ntlm = new Ntlm(c.server.options.serverName);
        if (s.preauth != null) s.preauth.update(r);

        byte[] token;
        try {
            token = blob.length == 0 ? null : Spnego.mechToken(blob);
        } catch (IllegalArgumentException e) {
            return fail(c, s, Status.INVALID_PARAMETER);
        }
        boolean wrapped = blob.length > 0 && !Ntlm.isNtlmssp(blob);
        if (token == null || !Ntlm.isNtlmssp(token)) { // no token, or one for another mechanism: ask for NTLMSSP
            return answer(c, x, s, Status.MORE_PROCESSING_REQUIRED, 0, Spnego.response(Spnego.ACCEPT_INCOMPLETE, true, null));
        }
        int type = Ntlm.messageType(token);
        if (type == 1) {
            byte[] challenge = s.ntlm.challenge(token);
            return answer(c, x, s, Status.MORE_PROCESSING_REQUIRED, 0,
                    wrapped ? Spnego.response(Spnego.ACCEPT_INCOMPLETE, true, challenge) : challenge);
        }
        if (type != 3) return fail(c, s, Status.INVALID_PARAMETER);
        Ntlm.Result result = s.ntlm.authenticate(token, c.server.options.users);
        if (result.status() != Status.SUCCESS) return fail(c, s, result.status());
        s.ntlm = null;
        s.valid = true;
        c.authenticated = true;
        s.anonymous = result.anonymous();
        s.guest = result.guest();
        s.user = result.user();
        s.signingRequired = ((securityMode | c.clientSecurityMode) & Negotiate.SECURITY_SIGNING_REQUIRED) != 0;
        if (result.sessionKey() != null) {
            byte[] key = Arrays.copyOf(result.sessionKey(), 16);
            s.signing = new Signing(key, c.dialect, s.preauth == null ? null : s.preauth.value());
            if (c.dialect == Negotiate.SMB311 || s.signingRequired) x.signWith = s;
        } else {
            s.signingRequired = false; // anonymous and guest sessions have no key to sign with
        }
        s.preauth = null;
        int flags = s.anonymous ? FLAG_IS_NULL : s.guest ? FLAG_IS_GUEST : 0;
        return answer(c, x, s, Status.SUCCESS, flags, wrapped ? Spnego.response(Spnego.ACCEPT_COMPLETED, false, null) : new byte[0]);
    }

    private static int answer(SmbConnection c, Exchange x, Session s, int status, int flags, byte[] blob) {
        MemorySegment b = c.body(8 + blob.length);
        Wire.put16(b, 0, 9);
        Wire.put16(b, 2, flags);
        Wire.put16(b, 4, blob.length == 0 ? 0 : Smb2Header.SIZE + 8);
        Wire.put16(b, 6, blob.length);
        Wire.putBytes(b, 8, blob);
        x.bodyLength = 8 + blob.length;
        if (status == Status.MORE_PROCESSING_REQUIRED && s.preauth != null) x.afterResponse = s.preauth::update;
        return status;
    }

    private static int fail(SmbConnection c, Session s, int status) {
        c.sessions.remove(s.id);
        return status;
    }

    static int logoff(SmbConnection c, Exchange x) {
        if (x.structureSize() != 4) return Status.INVALID_PARAMETER;
        Session s = x.session;
        c.sessions.remove(s.id);
        c.trees.values().removeIf(t -> t.sessionId() == s.id);
        TreeConnect.closeOpens(c, o -> o.sessionId == s.id);
        return Dispatch.fixedBody(c, x, 4);
    }
}
