package dev.tevent4j.smb;

/**
 * What every message passes before its handler (MS-SMB2 3.3.5.2): NEGOTIATE first and once,
 * a known session (its signature checked, or refused when the session requires signing and the
 * request is unsigned), a tree of that session.
 */
final class Admission {
    private Admission() {}

    /** The checks before a handler runs: negotiated, the session (and its signature), the tree. */
    static int admit(SmbConnection c, Exchange x) {
        int cmd = x.command;
        if (cmd == Smb2Header.NEGOTIATE) return c.dialect < 0 ? Status.SUCCESS : c.dropNow();
        if (c.dialect < 0) return c.dropNow();
        if (cmd == Smb2Header.ECHO && x.sessionId == 0) return Status.SUCCESS;
        if (cmd == Smb2Header.SESSION_SETUP && x.sessionId == 0) return Status.SUCCESS;
        Session s = c.sessions.get(x.sessionId);
        if (s == null) return cmd == Smb2Header.ECHO ? Status.SUCCESS : Status.USER_SESSION_DELETED; // ECHO needs no session (as Samba)
        x.session = s;
        if (s.signing != null) {
            boolean signed = (Smb2Header.flags(x.request) & Smb2Header.FLAG_SIGNED) != 0;
            if (signed && !s.signing.verify(x.request)) return Status.ACCESS_DENIED;
            if (!signed && s.signingRequired && cmd != Smb2Header.SESSION_SETUP) return Status.ACCESS_DENIED;
            x.signed = signed;
        }
        if (cmd == Smb2Header.SESSION_SETUP || cmd == Smb2Header.ECHO) return Status.SUCCESS;
        if (!s.valid) return Status.USER_SESSION_DELETED;
        if (cmd == Smb2Header.LOGOFF || cmd == Smb2Header.TREE_CONNECT) return Status.SUCCESS;
        Tree t = c.trees.get(x.treeId);
        if (t == null || t.sessionId() != s.id) return Status.NETWORK_NAME_DELETED;
        x.tree = t;
        return Status.SUCCESS;
    }

}
