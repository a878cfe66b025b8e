package io.tsdb4j.promql.engine;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.promql.ast.Expr;
import io.tsdb4j.promql.ast.ValueType;
import io.tsdb4j.promql.parser.PromQLParser;
import io.tsdb4j.promql.value.Matrix;
import io.tsdb4j.promql.value.Sample;
import io.tsdb4j.promql.value.Scalar;
import io.tsdb4j.promql.value.Series;
import io.tsdb4j.promql.value.StringValue;
import io.tsdb4j.promql.value.Value;
import io.tsdb4j.promql.value.Vector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The PromQL evaluation engine (Prometheus 2.42 semantics, float samples). Stateless apart from its options:
 * thread-safe, and any number of queries may run concurrently, each on the calling thread.
 *
 * <p>A query is canceled by interrupting the thread running it or through {@link Query#cancel()}; it fails with
 * a {@link PromQLException} of type {@code canceled}, {@code timeout} (past {@link EngineOptions#timeout()}),
 * {@code execution} (for example more than {@link EngineOptions#maxSamples()} samples in memory) or
 * {@code bad_data} (the query does not parse or has the wrong type).
 */
public final class Engine {
    private final EngineOptions options;

    public Engine(EngineOptions options) {
        this.options = options;
    }

    public Engine() {
        this(EngineOptions.DEFAULTS);
    }

    public EngineOptions options() {
        return options;
    }

    /** Evaluates {@code query} at one instant. */
    public QueryResult instantQuery(Queryable queryable, String query, long timeMillis) {
        return newInstantQuery(queryable, query, timeMillis).execute();
    }

    /** Evaluates {@code query} at every step from {@code startMillis} to {@code endMillis}; the result is a matrix. */
    public QueryResult rangeQuery(Queryable queryable, String query, long startMillis, long endMillis, long stepMillis) {
        return newRangeQuery(queryable, query, startMillis, endMillis, stepMillis).execute();
    }

    public Query newInstantQuery(Queryable queryable, String query, long timeMillis) {
        return new Query(queryable, parse(query), timeMillis, timeMillis, 0);
    }

    public Query newInstantQuery(Queryable queryable, Expr expr, long timeMillis) {
        return new Query(queryable, expr, timeMillis, timeMillis, 0);
    }

    public Query newRangeQuery(Queryable queryable, String query, long startMillis, long endMillis, long stepMillis) {
        return newRangeQuery(queryable, parse(query), startMillis, endMillis, stepMillis);
    }

    public Query newRangeQuery(Queryable queryable, Expr expr, long startMillis, long endMillis, long stepMillis) {
        if (stepMillis <= 0) {
            throw new PromQLException(PromQLException.ErrorType.BAD_DATA,
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMillis < startMillis) {
            throw new PromQLException(PromQLException.ErrorType.BAD_DATA, "end timestamp must not be before start time");
        }
        if (expr.type() != ValueType.VECTOR && expr.type() != ValueType.SCALAR) {
            throw new PromQLException(PromQLException.ErrorType.BAD_DATA, "invalid expression type \""
                    + expr.type().display() + "\" for range query, must be Scalar or instant Vector");
        }
        return new Query(queryable, expr, startMillis, endMillis, stepMillis);
    }

    private static Expr parse(String query) {
        try {
            return PromQLParser.parse(query);
        } catch (RuntimeException e) {
            if (e instanceof PromQLException p) throw p;
            throw new PromQLException(PromQLException.ErrorType.BAD_DATA, e.getMessage(), e);
        }
    }

    /** One prepared query. {@link #execute()} runs it on the calling thread; {@link #cancel()} may be called from any. */
    public final class Query {
        private final Queryable queryable;
        private final Expr expr;
        private final long start;
        private final long end;
        private final long step;
        private volatile QueryContext running;
        private volatile boolean canceled;

        private Query(Queryable queryable, Expr expr, long start, long end, long step) {
            this.queryable = queryable;
            this.expr = expr;
            this.start = start;
            this.end = end;
            this.step = step;
        }

        public Expr expr() {
            return expr;
        }

        public void cancel() {
            canceled = true;
            QueryContext qc = running;
            if (qc != null) qc.cancel();
        }

        public QueryResult execute() {
            try (QueryContext qc = new QueryContext(options, queryable, expr, start, end)) {
                running = qc;
                if (canceled) qc.cancel();
                qc.check("query execution");
                return new QueryResult(step == 0 ? instant(qc) : range(qc));
            } catch (StackOverflowError e) {
                throw new PromQLException(PromQLException.ErrorType.EXECUTION, "query is too deeply nested", e);
            }
        }

        private Value instant(QueryContext qc) {
            Evaluator ev = new Evaluator(qc, start, start, 1, 0);
            Object val = ev.eval(expr);
            if (val instanceof String s) return new StringValue(start, s);
            Evaluator.Mat mat = (Evaluator.Mat) val;
            switch (expr.type()) {
                case VECTOR: {
                    List<Sample> samples = new ArrayList<>(mat.size());
                    for (PointBuffer pb : mat) samples.add(new Sample(pb.metric, start, pb.v[0]));
                    return new Vector(samples);
                }
                case SCALAR:
                    return new Scalar(start, mat.get(0).v[0]);
                case MATRIX:
                    return toMatrix(mat, false);
                default:
                    throw new IllegalStateException("unexpected expression type " + expr.type());
            }
        }

        private Value range(QueryContext qc) {
            Evaluator ev = new Evaluator(qc, start, end, step, 0);
            Evaluator.Mat mat = (Evaluator.Mat) ev.eval(expr);
            qc.check("expression evaluation");
            return toMatrix(mat, true);
        }
    }

    private static Matrix toMatrix(Evaluator.Mat mat, boolean sort) {
        List<Series> out = new ArrayList<>(mat.size());
        for (PointBuffer pb : mat) out.add(new Series(pb.metric, pb.t, pb.v, pb.n));
        if (sort) out.sort(Comparator.comparing(Series::metric, Labels::compareTo));
        return new Matrix(out);
    }
}
