package io.tsdb4j.remote;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class StringCacheTest {
    private static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Property(tries = 3000)
    void utf8ValidationAgreesWithTheJdk(@ForAll @Size(max = 12) byte[] b) {
        assertEquals(jdkValid(b), StringCache.validUtf8(b, 0, b.length));
    }

    @Property(tries = 500)
    void validStringsRoundTripThroughTheCache(@ForAll String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (!jdkValid(b)) return; // lone surrogates become '?' in getBytes: not our concern here
        StringCache c = new StringCache();
        String first = c.get(b, 0, b.length);
        assertEquals(new String(b, StandardCharsets.UTF_8), first);
        String second = c.get(b.clone(), 0, b.length);
        if (b.length <= 256) assertSame(first, second, "a second lookup of equal bytes returns the cached string");
        else assertEquals(first, second, "long strings are decoded each time, not cached");
    }

    @Test
    void rejectsOverlongAndSurrogatesAndTruncation() {
        assertFalse(StringCache.validUtf8(new byte[] {(byte) 0xC0, (byte) 0x80}, 0, 2));
        assertFalse(StringCache.validUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3));
        assertFalse(StringCache.validUtf8(new byte[] {(byte) 0xE2, (byte) 0x82}, 0, 2));
        assertTrue(StringCache.validUtf8("€𝄞".getBytes(StandardCharsets.UTF_8), 0, 7));
        assertNull(new StringCache().get(new byte[] {(byte) 0xFF}, 0, 1));
    }
}
