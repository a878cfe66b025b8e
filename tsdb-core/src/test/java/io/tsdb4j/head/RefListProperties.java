package io.tsdb4j.head;

import io.tsdb4j.index.AssertingPostings;
import io.tsdb4j.index.Postings;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** The hybrid head postings list equals a TreeSet model through adds, removes, next and seek, on both sides of the array/bitmap switch. */
class RefListProperties {
    @Property(tries = 200)
    void behavesLikeASortedSet(@ForAll long seed, @ForAll @IntRange(min = 0, max = 10_000) int ops,
                               @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 1_000_000) Integer> seeks) {
        Random rnd = new Random(seed);
        RefList list = new RefList();
        TreeSet<Integer> model = new TreeSet<>();
        int bound = rnd.nextBoolean() ? 5000 : 1_000_000;
        int next = 1;
        for (int i = 0; i < ops; i++) {
            int r = rnd.nextInt(10);
            if (r < 6) {            // mostly increasing, like new series
                next += 1 + rnd.nextInt(3);
                list.add(next);
                model.add(next);
            } else if (r < 8) {     // arbitrary add (replayed refs)
                int v = rnd.nextInt(bound);
                list.add(v);
                model.add(v);
            } else if (!model.isEmpty()) {
                Integer v = rnd.nextBoolean() ? model.first() : model.ceiling(rnd.nextInt(bound));
                if (v == null) v = model.last();
                list.remove(v);
                model.remove(v);
            }
        }
        assertEquals(model.size(), list.cardinality());
        assertEquals(model.isEmpty(), list.isEmpty());
        Postings p = AssertingPostings.wrap(list.postings());
        List<Long> got = new ArrayList<>();
        while (p.next()) got.add(p.at());
        assertEquals(model.stream().map(Integer::longValue).toList(), got);

        Postings s = AssertingPostings.wrap(list.postings());
        List<Integer> sorted = new ArrayList<>(seeks);
        sorted.sort(null);
        for (int target : sorted) {
            Integer expected = model.ceiling(target);
            boolean found = s.seek(target);
            assertEquals(expected != null, found, "seek " + target);
            if (!found) break;
            assertEquals((long) expected, s.at());
        }
    }
}
