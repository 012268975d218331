package dev.tevent4j.smb;

/** One SMB2 session of a connection: its NTLMSSP exchange while in progress, then who it is and how it signs. */
final class Session {
    final long id;
    Ntlm ntlm;                 // while the SESSION_SETUP exchange runs
    PreauthHash preauth;       // 3.1.1 only, until the final response
    boolean valid;
    boolean anonymous, guest;
    String user = "";
    Signing signing;           // null: the session has no key (anonymous, guest)
    boolean signingRequired;

    Session(long id) {
        this.id = id;
    }
}
