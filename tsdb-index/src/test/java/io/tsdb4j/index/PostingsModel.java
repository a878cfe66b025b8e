package io.tsdb4j.index;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Expression trees over postings and the naive model they are checked against: a {@link TreeSet} per node, and a
 * {@link ModelIterator} that follows the {@link Postings} contract literally.
 */
final class PostingsModel {
    private PostingsModel() {}

    /** A node of a postings expression: evaluates to a model set, or builds (asserting) postings. */
    sealed interface Expr permits Leaf, And, Or, Not {
        TreeSet<Long> model();

        /** Fresh postings for this expression; every leaf and every operator result is wrapped in AssertingPostings. */
        Postings build();
    }

    /** A sorted set as a long[] view, or as an unsigned int[] view with junk past {@code len}. */
    record Leaf(TreeSet<Long> set, boolean asInts) implements Expr {
        @Override
        public TreeSet<Long> model() {
            return new TreeSet<>(set);
        }

        @Override
        public Postings build() {
            if (asInts && (set.isEmpty() || set.last() <= 0xFFFF_FFFFL)) {
                int[] a = new int[set.size() + 3];
                int i = 0;
                for (long v : set) a[i++] = (int) v;
                a[i] = 7; // past len: must never be read
                a[i + 1] = -1;
                a[i + 2] = 0;
                return AssertingPostings.wrap(Postings.of(a, set.size()), "ints" + set);
            }
            long[] a = set.stream().mapToLong(Long::longValue).toArray();
            return AssertingPostings.wrap(Postings.of(a), "longs" + set);
        }
    }

    record And(List<Expr> xs) implements Expr {
        @Override
        public TreeSet<Long> model() {
            if (xs.isEmpty()) return new TreeSet<>();
            TreeSet<Long> r = xs.get(0).model();
            for (int i = 1; i < xs.size(); i++) r.retainAll(xs.get(i).model());
            return r;
        }

        @Override
        public Postings build() {
            List<Postings> ps = new ArrayList<>();
            for (Expr x : xs) ps.add(x.build());
            return AssertingPostings.wrap(Postings.intersect(ps), "intersect");
        }
    }

    record Or(List<Expr> xs) implements Expr {
        @Override
        public TreeSet<Long> model() {
            TreeSet<Long> r = new TreeSet<>();
            for (Expr x : xs) r.addAll(x.model());
            return r;
        }

        @Override
        public Postings build() {
            List<Postings> ps = new ArrayList<>();
            for (Expr x : xs) ps.add(x.build());
            return AssertingPostings.wrap(Postings.merge(ps), "merge");
        }
    }

    record Not(Expr full, Expr drop) implements Expr {
        @Override
        public TreeSet<Long> model() {
            TreeSet<Long> r = full.model();
            r.removeAll(drop.model());
            return r;
        }

        @Override
        public Postings build() {
            return AssertingPostings.wrap(Postings.without(full.build(), drop.build()), "without");
        }
    }

    /** One step of a seek sequence: {@code next()} when {@code seek} is false, else {@code seek(target)}. */
    record Op(boolean seek, long target) {
        @Override
        public String toString() {
            return seek ? "seek(" + target + ")" : "next()";
        }
    }

    /** The contract of {@link Postings}, executed literally on a sorted set. */
    static final class ModelIterator {
        private final TreeSet<Long> set;
        private Long cur;
        private boolean exhausted;

        ModelIterator(TreeSet<Long> set) {
            this.set = set;
        }

        boolean next() {
            if (exhausted) return false;
            cur = cur == null ? (set.isEmpty() ? null : set.first()) : set.higher(cur);
            exhausted = cur == null;
            return !exhausted;
        }

        boolean seek(long v) {
            if (exhausted) return false;
            if (cur != null && cur >= v) return true;
            cur = set.ceiling(v);
            exhausted = cur == null;
            return !exhausted;
        }

        long at() {
            return cur;
        }
    }
}
