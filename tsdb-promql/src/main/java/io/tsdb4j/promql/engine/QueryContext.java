package io.tsdb4j.promql.engine;

import io.tsdb4j.Querier;
import io.tsdb4j.Series;
import io.tsdb4j.SampleIterator;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.promql.ast.AtModifier;
import io.tsdb4j.promql.ast.Expr;
import io.tsdb4j.promql.ast.SubqueryExpr;
import io.tsdb4j.promql.ast.VectorSelector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * State shared by all evaluators of one query: settings, the querier (opened lazily over the query's whole time
 * range), the series each selector loaded, the step-invariant sub-expressions, and cancellation. Not thread-safe:
 * one query runs on one thread; only {@link #cancel()} may be called from another.
 */
final class QueryContext implements AutoCloseable {
    final long lookbackMillis;
    final int maxSamples;
    final long noStepSubqueryIntervalMillis;
    /** Start and end of the query, for {@code @ start()} and {@code @ end()}. */
    final long queryStart;
    final long queryEnd;
    final Set<Expr> stepInvariant = Collections.newSetFromMap(new IdentityHashMap<>());

    private final Queryable queryable;
    private final long minT;
    private final long maxT;
    private final long deadlineNanos; // 0: none
    private volatile boolean canceled;
    private final Thread owner;
    private Querier querier;
    private final Map<List<Matcher>, List<PointBuffer>> seriesCache = new HashMap<>();
    /** How often each selection is read by the query; only those read more than once are cached. */
    private final Map<List<Matcher>, Integer> selectionReads = new HashMap<>();
    private PointBuffer scratch;

    /** Receives the series of a selection one at a time; the buffer is only valid during the call. */
    @FunctionalInterface
    interface SeriesVisitor {
        void visit(PointBuffer series);
    }

    QueryContext(EngineOptions opts, Queryable queryable, Expr expr, long start, long end) {
        this.lookbackMillis = opts.lookbackDelta().toMillis();
        this.maxSamples = opts.maxSamples();
        this.noStepSubqueryIntervalMillis = opts.noStepSubqueryIntervalMillis();
        this.queryStart = start;
        this.queryEnd = end;
        this.queryable = queryable;
        long timeout = opts.timeout().toNanos();
        this.deadlineNanos = timeout > 0 ? System.nanoTime() + timeout : 0;
        this.owner = Thread.currentThread();
        StepInvariance.mark(expr, stepInvariant);
        countSelectionReads(expr);
        long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
        timeRange(expr, new ArrayList<>(), 0, range);
        if (range[1] == Long.MIN_VALUE) {
            range[0] = 0;
            range[1] = 0;
        }
        this.minT = range[0];
        this.maxT = range[1];
    }

    void cancel() {
        canceled = true;
    }

    /** Throws if the query was canceled (or its thread interrupted) or ran past its deadline. */
    void check(String env) {
        if (canceled || (Thread.currentThread() == owner && owner.isInterrupted())) {
            throw PromQLException.canceled(env);
        }
        if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos > 0) throw PromQLException.timeout(env);
    }

    /** The {@code @} time of a selector, resolving {@code start()}/{@code end()}; null without {@code @}. */
    Long at(VectorSelector vs) {
        return at(vs.timestampMillis(), vs.startOrEnd());
    }

    Long at(SubqueryExpr sq) {
        return at(sq.timestampMillis(), sq.startOrEnd());
    }

    private Long at(Long ts, AtModifier mod) {
        if (mod == AtModifier.START) return queryStart;
        if (mod == AtModifier.END) return queryEnd;
        return ts;
    }

    /**
     * Visits every series the selector matches, sorted by labels, with its samples (stale markers left out if
     * {@code dropStale}). A selection the query reads only once is decoded series by series into one reused
     * buffer, so memory does not grow with the number of series selected; others come from {@link #series}.
     */
    void forEachSeries(VectorSelector vs, boolean dropStale, SeriesVisitor visitor) {
        if (selectionReads.getOrDefault(vs.matchers(), 0) > 1) {
            for (PointBuffer pb : series(vs)) visitor.visit(dropStale ? withoutStale(pb) : pb);
            return;
        }
        if (querier == null) querier = queryable.querier(minT, maxT);
        SeriesSet set = querier.select(vs.matchers().toArray(new Matcher[0]));
        PointBuffer buf = new PointBuffer(Labels.EMPTY, 16);
        while (set.next()) {
            check("expression evaluation");
            Series s = set.at();
            buf.metric = s.labels();
            buf.n = 0;
            SampleIterator it = s.iterator();
            while (it.next()) {
                double v = it.v();
                if (dropStale && Evaluator.isStale(v)) continue;
                buf.add(it.t(), v);
            }
            visitor.visit(buf);
        }
    }

    private PointBuffer withoutStale(PointBuffer pb) {
        int i = 0;
        while (i < pb.n && !Evaluator.isStale(pb.v[i])) i++;
        if (i == pb.n) return pb;
        if (scratch == null) scratch = new PointBuffer(Labels.EMPTY, pb.n);
        scratch.metric = pb.metric;
        scratch.n = 0;
        for (int k = 0; k < pb.n; k++) if (!Evaluator.isStale(pb.v[k])) scratch.add(pb.t[k], pb.v[k]);
        return scratch;
    }

    /** The samples of every series the selector matches, stale markers included, sorted by labels. */
    List<PointBuffer> series(VectorSelector vs) {
        List<PointBuffer> cached = seriesCache.get(vs.matchers());
        if (cached != null) return cached;
        if (querier == null) querier = queryable.querier(minT, maxT);
        List<PointBuffer> out = new ArrayList<>();
        SeriesSet set = querier.select(vs.matchers().toArray(new Matcher[0]));
        int sizeHint = 16; // series of one selection have similar lengths: size each like the previous one
        while (set.next()) {
            check("expression evaluation");
            Series s = set.at();
            PointBuffer pb = new PointBuffer(s.labels(), sizeHint);
            SampleIterator it = s.iterator();
            while (it.next()) pb.add(it.t(), it.v());
            out.add(pb);
            sizeHint = Math.max(16, pb.n);
        }
        seriesCache.put(vs.matchers(), out);
        return out;
    }

    @Override
    public void close() {
        if (querier != null) querier.close();
    }

    private void countSelectionReads(Expr e) {
        if (e instanceof VectorSelector vs) {
            selectionReads.merge(vs.matchers(), 1, Integer::sum);
        } else if (e instanceof io.tsdb4j.promql.ast.MatrixSelector ms) {
            countSelectionReads(ms.vs());
        } else if (e instanceof SubqueryExpr sq) {
            countSelectionReads(sq.expr());
        } else if (e instanceof io.tsdb4j.promql.ast.ParenExpr p) {
            countSelectionReads(p.expr());
        } else if (e instanceof io.tsdb4j.promql.ast.UnaryExpr u) {
            countSelectionReads(u.expr());
        } else if (e instanceof io.tsdb4j.promql.ast.BinaryExpr b) {
            countSelectionReads(b.lhs());
            countSelectionReads(b.rhs());
        } else if (e instanceof io.tsdb4j.promql.ast.AggregateExpr a) {
            if (a.param() != null) countSelectionReads(a.param());
            countSelectionReads(a.expr());
        } else if (e instanceof io.tsdb4j.promql.ast.Call c) {
            for (Expr arg : c.args()) countSelectionReads(arg);
            // timestamp(selector) looks the selection up once per step: keep it.
            if (c.func().name().equals("timestamp") && Evaluator.unwrapParens(c.args().get(0)) instanceof VectorSelector vs) {
                selectionReads.merge(vs.matchers(), 1, Integer::sum);
            }
        }
    }

    // The time range a query reads, computed as Prometheus does from every selector's offset, @ and the
    // subqueries around it, so a querier over [minT, maxT] holds every sample the evaluation can look at.
    private void timeRange(Expr e, List<SubqueryExpr> path, long evalRange, long[] out) {
        if (e instanceof VectorSelector vs) {
            selectorRange(vs, path, evalRange, out);
        } else if (e instanceof io.tsdb4j.promql.ast.MatrixSelector ms) {
            selectorRange(ms.vs(), path, ms.rangeMillis(), out);
        } else if (e instanceof SubqueryExpr sq) {
            path.add(sq);
            timeRange(sq.expr(), path, 0, out);
            path.remove(path.size() - 1);
        } else if (e instanceof io.tsdb4j.promql.ast.ParenExpr p) {
            timeRange(p.expr(), path, 0, out);
        } else if (e instanceof io.tsdb4j.promql.ast.UnaryExpr u) {
            timeRange(u.expr(), path, 0, out);
        } else if (e instanceof io.tsdb4j.promql.ast.BinaryExpr b) {
            timeRange(b.lhs(), path, 0, out);
            timeRange(b.rhs(), path, 0, out);
        } else if (e instanceof io.tsdb4j.promql.ast.AggregateExpr a) {
            if (a.param() != null) timeRange(a.param(), path, 0, out);
            timeRange(a.expr(), path, 0, out);
        } else if (e instanceof io.tsdb4j.promql.ast.Call c) {
            for (Expr arg : c.args()) timeRange(arg, path, 0, out);
        }
    }

    private void selectorRange(VectorSelector vs, List<SubqueryExpr> path, long evalRange, long[] out) {
        long start = queryStart, end = queryEnd;
        long subqOffset = 0, subqRange = 0;
        Long subqTs = null;
        for (SubqueryExpr sq : path) {
            subqOffset += sq.originalOffsetMillis();
            subqRange += sq.rangeMillis();
            Long t = at(sq);
            if (t != null) {
                subqOffset = sq.originalOffsetMillis();
                subqRange = sq.rangeMillis();
                subqTs = t;
            }
        }
        if (subqTs != null) {
            start = subqTs;
            end = subqTs;
        }
        Long t = at(vs);
        if (t != null) {
            start = t;
            end = t;
        } else {
            start = start - subqOffset - subqRange;
            end = end - subqOffset;
        }
        start -= evalRange == 0 ? lookbackMillis : evalRange;
        start -= vs.originalOffsetMillis();
        end -= vs.originalOffsetMillis();
        out[0] = Math.min(out[0], start);
        out[1] = Math.max(out[1], end);
    }
}
