package io.tsdb4j.promql.engine;

import io.tsdb4j.Querier;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.promql.ast.ValueType;
import io.tsdb4j.promql.value.Matrix;
import io.tsdb4j.promql.value.Scalar;
import io.tsdb4j.promql.value.Series;
import io.tsdb4j.promql.value.Vector;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineTest {
    private static MemStorage counters() {
        MemStorage s = new MemStorage();
        for (int i = 0; i <= 100; i++) {
            s.append(Labels.of("__name__", "reqs", "job", "a"), i * 15_000L, i * 10.0);
            s.append(Labels.of("__name__", "reqs", "job", "b"), i * 15_000L, i * 20.0);
        }
        return s;
    }

    @Test
    void instantQueryReturnsVectorStampedWithQueryTime() {
        QueryResult r = new Engine().instantQuery(counters(), "sum(rate(reqs[1m]))", 600_000);
        assertEquals(ValueType.VECTOR, r.type());
        Vector v = r.vector();
        assertEquals(1, v.size());
        assertEquals(600_000, v.get(0).t());
        assertEquals(Labels.EMPTY, v.get(0).metric());
        assertEquals(2.0, v.get(0).v(), 1e-9); // 10/15s + 20/15s
    }

    @Test
    void scalarAndStringResults() {
        Engine e = new Engine();
        Scalar s = e.instantQuery(counters(), "1 + 2 * 3", 0).scalar();
        assertEquals(7.0, s.v());
        assertEquals("hi", e.instantQuery(counters(), "\"hi\"", 5).string().v());
    }

    @Test
    void rangeQueryIsSortedByLabelsAndAlignedToSteps() {
        Matrix m = new Engine().rangeQuery(counters(), "reqs", 0, 120_000, 30_000).matrix();
        assertEquals(2, m.size());
        assertEquals("a", m.get(0).metric().get("job"));
        assertEquals("b", m.get(1).metric().get("job"));
        Series a = m.get(0);
        assertEquals(5, a.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i * 30_000L, a.timestamp(i));
            assertEquals(i * 20.0, a.value(i));
        }
    }

    @Test
    void lookbackEndsFiveMinutesAfterLastSample() {
        MemStorage s = new MemStorage();
        s.append(Labels.of("__name__", "x"), 0, 1);
        Engine e = new Engine();
        assertEquals(1, e.instantQuery(s, "x", 300_000).vector().size());
        assertEquals(0, e.instantQuery(s, "x", 300_001).vector().size());
    }

    @Test
    void staleMarkerHidesSeries() {
        MemStorage s = new MemStorage();
        s.append(Labels.of("__name__", "x"), 0, 1);
        s.append(Labels.of("__name__", "x"), 10_000, Double.longBitsToDouble(0x7ff0000000000002L));
        assertEquals(0, new Engine().instantQuery(s, "x", 20_000).vector().size());
        assertEquals(1, new Engine().instantQuery(s, "x", 5_000).vector().size());
    }

    @Test
    void tooManySamplesIsAnExecutionError() {
        Engine e = new Engine(EngineOptions.DEFAULTS.withMaxSamples(50));
        PromQLException ex = assertThrows(PromQLException.class,
                () -> e.instantQuery(counters(), "sum_over_time(reqs[30m])", 1_500_000));
        assertEquals(PromQLException.ErrorType.EXECUTION, ex.type());
        assertEquals("query processing would load too many samples into memory in query execution", ex.getMessage());
        // The same query fits with a higher limit.
        Engine big = new Engine(EngineOptions.DEFAULTS.withMaxSamples(1000));
        assertEquals(2, big.instantQuery(counters(), "sum_over_time(reqs[30m])", 1_500_000).vector().size());
    }

    @Test
    void rangeQueryAggregationsKeepTheSampleLimit() {
        // As in the step-by-step evaluation: the 10 points of rate's output, then at the last step 8 earlier
        // output points plus that step's 2 input and 2 output points: 22.
        String q = "sum by (job) (rate(reqs[1m]))";
        Engine small = new Engine(EngineOptions.DEFAULTS.withMaxSamples(21));
        PromQLException ex = assertThrows(PromQLException.class, () -> small.rangeQuery(counters(), q, 600_000, 720_000, 30_000));
        assertEquals(PromQLException.ErrorType.EXECUTION, ex.type());
        Matrix m = new Engine(EngineOptions.DEFAULTS.withMaxSamples(22)).rangeQuery(counters(), q, 600_000, 720_000, 30_000).matrix();
        assertEquals(2, m.size());
        assertEquals(20.0 / 15, m.get(1).value(4), 1e-9);
    }

    @Test
    void rangeFunctionOutputsThatCollideAfterDroppingTheNameAreAnError() {
        MemStorage s = new MemStorage();
        for (int i = 0; i <= 20; i++) {
            s.append(Labels.of("__name__", "a", "job", "x"), i * 15_000L, i);
            s.append(Labels.of("__name__", "b", "job", "x"), i * 15_000L, i);
        }
        for (String q : new String[] {"rate({job=\"x\"}[1m])", "sum(rate({job=\"x\"}[1m]))"}) {
            PromQLException ex = assertThrows(PromQLException.class, () -> new Engine().rangeQuery(s, q, 60_000, 120_000, 30_000), q);
            assertEquals("vector cannot contain metrics with the same labelset", ex.getMessage(), q);
        }
    }

    @Test
    void parseErrorsAreBadData() {
        PromQLException ex = assertThrows(PromQLException.class,
                () -> new Engine().instantQuery(counters(), "sum(", 0));
        assertEquals(PromQLException.ErrorType.BAD_DATA, ex.type());
    }

    @Test
    void rangeQueryRejectsRangeVectorsAndBadSteps() {
        Engine e = new Engine();
        PromQLException ex = assertThrows(PromQLException.class, () -> e.rangeQuery(counters(), "reqs[5m]", 0, 60_000, 15_000));
        assertEquals(PromQLException.ErrorType.BAD_DATA, ex.type());
        assertEquals("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector",
                ex.getMessage());
        ex = assertThrows(PromQLException.class, () -> e.rangeQuery(counters(), "reqs", 0, 60_000, 0));
        assertEquals(PromQLException.ErrorType.BAD_DATA, ex.type());
        ex = assertThrows(PromQLException.class, () -> e.rangeQuery(counters(), "reqs", 60_000, 0, 1000));
        assertEquals(PromQLException.ErrorType.BAD_DATA, ex.type());
    }

    @Test
    void manyToManyMatchingIsRejected() {
        PromQLException ex = assertThrows(PromQLException.class,
                () -> new Engine().instantQuery(counters(), "reqs + on() reqs", 60_000));
        assertEquals(PromQLException.ErrorType.EXECUTION, ex.type());
        assertTrue(ex.getMessage().startsWith("found duplicate series for the match group {} on the right hand-side"
                + " of the operation: ["), ex.getMessage());
        assertTrue(ex.getMessage().endsWith(";many-to-many matching not allowed: matching labels must be unique on one side"));
    }

    @Test
    void canceledBeforeExecution() {
        Engine e = new Engine();
        Engine.Query q = e.newInstantQuery(counters(), "reqs", 0);
        q.cancel();
        PromQLException ex = assertThrows(PromQLException.class, q::execute);
        assertEquals(PromQLException.ErrorType.CANCELED, ex.type());
    }

    @Test
    void interruptCancels() {
        Engine e = new Engine();
        Thread.currentThread().interrupt();
        try {
            PromQLException ex = assertThrows(PromQLException.class, () -> e.instantQuery(counters(), "reqs", 0));
            assertEquals(PromQLException.ErrorType.CANCELED, ex.type());
            assertEquals("query was canceled in query execution", ex.getMessage());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void timeoutWhileLoadingSeries() {
        MemStorage data = counters();
        // The querier takes longer than the whole timeout, so the next cancellation check must fail.
        Queryable slow = (minT, maxT) -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            Querier q = data.querier(minT, maxT);
            return q;
        };
        Engine e = new Engine(EngineOptions.DEFAULTS.withTimeout(Duration.ofMillis(1)));
        PromQLException ex = assertThrows(PromQLException.class, () -> e.instantQuery(slow, "reqs", 60_000));
        assertEquals(PromQLException.ErrorType.TIMEOUT, ex.type());
    }

    @Test
    void atModifierAndSubqueries() {
        Engine e = new Engine();
        // reqs{job="a"} is 10 * i at 15s * i: at 150s it is 100.
        assertEquals(100.0, e.instantQuery(counters(), "reqs{job=\"a\"} @ 150", 1_000_000).vector().get(0).v());
        Matrix m = e.rangeQuery(counters(), "reqs{job=\"a\"} @ 150", 0, 120_000, 60_000).matrix();
        assertEquals(3, m.get(0).size());
        for (int i = 0; i < 3; i++) assertEquals(100.0, m.get(0).value(i));
        // max over a 1m subquery at 30s steps ending at 300s: 200 (value at 300s).
        assertEquals(200.0, e.instantQuery(counters(),
                "max_over_time(reqs{job=\"a\"}[1m:30s])", 300_000).vector().get(0).v());
    }
}
