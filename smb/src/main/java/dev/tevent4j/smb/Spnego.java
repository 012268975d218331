package dev.tevent4j.smb;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The SPNEGO (RFC 4178) tokens around NTLMSSP, as minimal DER: the server's NegTokenInit hint
 * in the NEGOTIATE response, the mechanism token taken out of a client's NegTokenInit or
 * NegTokenResp, and the server's NegTokenResp. Only NTLMSSP is offered.
 */
final class Spnego {
    private Spnego() {}

    static final byte[] SPNEGO_OID = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
    static final byte[] NTLMSSP_OID = {0x2b, 0x06, 0x01, 0x04, 0x01, (byte) 0x82, 0x37, 0x02, 0x02, 0x0a};
    static final int ACCEPT_COMPLETED = 0, ACCEPT_INCOMPLETE = 1, REJECT = 2;

    /** GSS initial token: [APPLICATION 0] { SPNEGO OID, [0] NegTokenInit { [0] mechTypes { NTLMSSP } } }. */
    static byte[] initHint() {
        byte[] mechTypes = tlv(0xa0, tlv(0x30, tlv(0x06, NTLMSSP_OID)));
        byte[] init = tlv(0xa0, tlv(0x30, mechTypes));
        return tlv(0x60, concat(tlv(0x06, SPNEGO_OID), init));
    }

    /** NegTokenResp { [0] negState, [1] supportedMech NTLMSSP (when {@code withMech}), [2] responseToken (when not null) }. */
    static byte[] response(int negState, boolean withMech, byte[] token) {
        byte[] body = tlv(0xa0, tlv(0x0a, new byte[] {(byte) negState}));
        if (withMech) body = concat(body, tlv(0xa1, tlv(0x06, NTLMSSP_OID)));
        if (token != null) body = concat(body, tlv(0xa2, tlv(0x04, token)));
        return tlv(0xa1, tlv(0x30, body));
    }

    /**
     * The mechanism token inside a client's SPNEGO token (NegTokenInit's mechToken [2] or
     * NegTokenResp's responseToken [2]), or the blob itself when it is raw NTLMSSP; null when
     * it has none.
     *
     * @throws IllegalArgumentException for malformed DER
     */
    static byte[] mechToken(byte[] blob) {
        if (Ntlm.isNtlmssp(blob)) return blob;
        Der d = new Der(blob, 0, blob.length);
        int tag = d.tag();
        Der inner = d.content();
        if (tag == 0x60) {                 // GSS wrapper: OID, then [0] NegTokenInit
            inner.expect(0x06);
            inner.skip();
            inner.expect(0xa0);
            inner = inner.content();
        } else if (tag != 0xa1 && tag != 0xa0) {
            throw new IllegalArgumentException("not a SPNEGO token: tag 0x" + Integer.toHexString(tag));
        }
        inner.expect(0x30);
        Der seq = inner.content();
        while (seq.more()) {
            int t = seq.tag();
            if (t == 0xa2) {
                Der octets = seq.content();
                octets.expect(0x04);
                return octets.contentBytes();
            }
            seq.skip();
        }
        return null;
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) out.write(n);
        else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** A cursor over DER elements in [pos, end) of a byte array; every length is checked. */
    private static final class Der {
        private final byte[] b;
        private int pos;
        private final int end;

        Der(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            if (pos >= end) throw new IllegalArgumentException("DER: truncated");
            return b[pos] & 0xff;
        }

        void expect(int tag) {
            if (tag() != tag) throw new IllegalArgumentException("DER: expected tag 0x" + Integer.toHexString(tag) + ", got 0x" + Integer.toHexString(tag()));
        }

        /** The current element's content as a cursor; moves past the element. */
        Der content() {
            int[] span = span();
            pos = span[1];
            return new Der(b, span[0], span[1]);
        }

        byte[] contentBytes() {
            int[] span = span();
            pos = span[1];
            return Arrays.copyOfRange(b, span[0], span[1]);
        }

        void skip() {
            pos = span()[1];
        }

        private int[] span() {
            int p = pos + 1;
            if (p >= end) throw new IllegalArgumentException("DER: truncated length");
            int len = b[p++] & 0xff;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 3 || p + n > end) throw new IllegalArgumentException("DER: bad length");
                len = 0;
                for (int i = 0; i < n; i++) len = len << 8 | (b[p++] & 0xff);
            }
            if (len > end - p) throw new IllegalArgumentException("DER: length past the end");
            return new int[] {p, p + len};
        }
    }
}
