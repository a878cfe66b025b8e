package io.tsdb4j.promql.engine;

import java.time.Duration;

/**
 * Engine settings, with Prometheus's defaults: 5m lookback, 50,000,000 samples per query, 2m timeout, and a 1m
 * step for subqueries written without one ({@code x[1h:]}).
 *
 * @param lookbackDelta how far back an instant selector looks for the latest sample
 * @param maxSamples the most samples a query may hold in memory at once
 * @param timeout how long a query may run; {@link Duration#ZERO} or negative for no limit
 * @param noStepSubqueryIntervalMillis the step of subqueries that do not give one
 */
public record EngineOptions(Duration lookbackDelta, int maxSamples, Duration timeout, long noStepSubqueryIntervalMillis) {
    public static final EngineOptions DEFAULTS =
            new EngineOptions(Duration.ofMinutes(5), 50_000_000, Duration.ofMinutes(2), 60_000);

    public EngineOptions {
        if (lookbackDelta == null || lookbackDelta.isNegative() || lookbackDelta.isZero()) {
            lookbackDelta = Duration.ofMinutes(5);
        }
        if (maxSamples <= 0) throw new IllegalArgumentException("maxSamples must be positive, got " + maxSamples);
        if (timeout == null) timeout = Duration.ZERO;
        if (noStepSubqueryIntervalMillis <= 0) {
            throw new IllegalArgumentException("noStepSubqueryIntervalMillis must be positive");
        }
    }

    public EngineOptions withLookbackDelta(Duration d) {
        return new EngineOptions(d, maxSamples, timeout, noStepSubqueryIntervalMillis);
    }

    public EngineOptions withMaxSamples(int n) {
        return new EngineOptions(lookbackDelta, n, timeout, noStepSubqueryIntervalMillis);
    }

    public EngineOptions withTimeout(Duration d) {
        return new EngineOptions(lookbackDelta, maxSamples, d, noStepSubqueryIntervalMillis);
    }

    public EngineOptions withNoStepSubqueryInterval(long millis) {
        return new EngineOptions(lookbackDelta, maxSamples, timeout, millis);
    }
}
