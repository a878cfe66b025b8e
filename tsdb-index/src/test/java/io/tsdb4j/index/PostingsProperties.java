package io.tsdb4j.index;

import io.tsdb4j.index.PostingsModel.And;
import io.tsdb4j.index.PostingsModel.Expr;
import io.tsdb4j.index.PostingsModel.Leaf;
import io.tsdb4j.index.PostingsModel.ModelIterator;
import io.tsdb4j.index.PostingsModel.Not;
import io.tsdb4j.index.PostingsModel.Op;
import io.tsdb4j.index.PostingsModel.Or;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Set algebra against a {@link TreeSet} model: random nested expressions of intersect/merge/without over long[] and
 * unsigned int[] views, drained and driven by random next/seek sequences, every node wrapped in
 * {@link AssertingPostings}.
 */
class PostingsProperties {

    @Provide
    Arbitrary<Expr> exprs() {
        return Arbitraries.recursive(this::leaves, this::operators, 0, 4);
    }

    private Arbitrary<Expr> leaves() {
        // Mostly a small dense range so that sets overlap; sometimes values above 2^31 and 2^32.
        Arbitrary<Long> value = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.longs().between(0, 200)),
                Tuple.of(1, Arbitraries.longs().between((1L << 31) - 3, (1L << 31) + 3)),
                Tuple.of(1, Arbitraries.longs().between(0, 1L << 40)));
        Arbitrary<TreeSet<Long>> sets = value.set().ofMaxSize(60).map(TreeSet::new);
        return Combinators.combine(sets, Arbitraries.of(true, false)).as(Leaf::new);
    }

    private Arbitrary<Expr> operators(Arbitrary<Expr> sub) {
        Arbitrary<List<Expr>> lists = sub.list().ofMinSize(0).ofMaxSize(4);
        return Arbitraries.oneOf(
                lists.map(And::new),
                lists.map(Or::new),
                Combinators.combine(sub, sub).as(Not::new),
                leaves());
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(new Op(false, 0))),
                Tuple.of(3, Arbitraries.longs().between(-3, 220).map(v -> new Op(true, v))),
                Tuple.of(1, Arbitraries.longs().between(0, (1L << 40) + 5).map(v -> new Op(true, v))));
        return op.list().ofMaxSize(40);
    }

    @Property(tries = 1000)
    void drainEqualsModel(@ForAll("exprs") Expr e) {
        long[] expected = e.model().stream().mapToLong(Long::longValue).toArray();
        Postings p = e.build();
        assertArrayEquals(expected, Postings.toArray(p), e.toString());
        assertTrue(!p.next() && !p.seek(0), "stays exhausted");
    }

    @Property(tries = 1000)
    void nextSeekSequenceFollowsModel(@ForAll("exprs") Expr e, @ForAll("ops") List<Op> ops) {
        ModelIterator model = new ModelIterator(e.model());
        Postings p = e.build();
        List<Op> done = new ArrayList<>();
        for (Op op : ops) {
            done.add(op);
            boolean want = op.seek() ? model.seek(op.target()) : model.next();
            boolean got = op.seek() ? p.seek(op.target()) : p.next();
            assertEquals(want, got, () -> "after " + done + " on " + e);
            if (got) assertEquals(model.at(), p.at(), () -> "after " + done + " on " + e);
        }
        // Whatever the sequence left, draining continues exactly where the model does.
        List<Long> rest = new ArrayList<>();
        while (model.next()) rest.add(model.at());
        long[] got = Postings.toArray(p);
        assertArrayEquals(rest.stream().mapToLong(Long::longValue).toArray(), got, () -> "drain after " + done);
    }

    @Property(tries = 500)
    void costIsAnUpperBoundOfAFreshList(@ForAll("exprs") Expr e) {
        assertTrue(e.build().cost() >= e.model().size(), e.toString());
    }

    @Property(tries = 300)
    void mergeOfOverlappingCopiesHasNoDuplicates(@ForAll("exprs") Expr e, @ForAll("exprs") Expr f) {
        Expr or = new Or(List.of(e, f, e, new And(List.of(e, f))));
        TreeSet<Long> expected = e.model();
        expected.addAll(f.model());
        assertArrayEquals(expected.stream().mapToLong(Long::longValue).toArray(), Postings.toArray(or.build()));
    }
}
