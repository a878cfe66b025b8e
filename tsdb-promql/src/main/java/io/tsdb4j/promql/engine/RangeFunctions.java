package io.tsdb4j.promql.engine;

import java.util.Arrays;

/**
 * Functions over a range-vector window ({@code rate}, {@code *_over_time}, ...), on primitive arrays without
 * allocation. Each returns its value, or {@link #NO_VALUE} when the series yields no output at this step. The
 * semantics (extrapolation, Kahan summation, NaN handling) are those of Prometheus 2.42.
 */
final class RangeFunctions {
    /** Marker for "no output"; a distinct NaN payload never produced by arithmetic here. */
    static final long NO_VALUE_BITS = 0x7ff8dead0000beefL;
    static final double NO_VALUE = Double.longBitsToDouble(NO_VALUE_BITS);

    private RangeFunctions() {}

    static boolean isNoValue(double d) {
        return Double.doubleToRawLongBits(d) == NO_VALUE_BITS;
    }

    @FunctionalInterface
    interface RangeFunction {
        double apply(Window w);
    }

    /** The implementation for a function name, or null if the function does not take a range vector. */
    static RangeFunction forName(String name) {
        switch (name) {
            case "rate": return w -> extrapolatedRate(w, true, true);
            case "increase": return w -> extrapolatedRate(w, true, false);
            case "delta": return w -> extrapolatedRate(w, false, false);
            case "irate": return w -> instantValue(w, true);
            case "idelta": return w -> instantValue(w, false);
            case "holt_winters": return RangeFunctions::holtWinters;
            case "avg_over_time": return RangeFunctions::avgOverTime;
            case "count_over_time": return w -> w.n;
            case "last_over_time": return w -> w.v[w.off + w.n - 1];
            case "max_over_time": return RangeFunctions::maxOverTime;
            case "min_over_time": return RangeFunctions::minOverTime;
            case "sum_over_time": return RangeFunctions::sumOverTime;
            case "quantile_over_time": return w -> Quantiles.quantile(w.scalarArgs[0], Arrays.copyOfRange(w.v, w.off, w.off + w.n));
            case "stddev_over_time": return w -> Math.sqrt(stdvarOverTime(w));
            case "stdvar_over_time": return RangeFunctions::stdvarOverTime;
            case "absent_over_time": return w -> 1;
            case "present_over_time": return w -> 1;
            case "deriv": return RangeFunctions::deriv;
            case "predict_linear": return RangeFunctions::predictLinear;
            case "resets": return RangeFunctions::resets;
            case "changes": return RangeFunctions::changes;
            default: return null;
        }
    }

    /** rate, increase and delta: the change over the window, extrapolated towards the window's edges. */
    static double extrapolatedRate(Window w, boolean isCounter, boolean isRate) {
        int n = w.n;
        if (n < 2) return NO_VALUE;
        double[] v = w.v;
        long[] t = w.t;
        int first = w.off, last = w.off + n - 1;
        double result = v[last] - v[first];
        if (isCounter) {
            double prev = v[first];
            for (int i = first + 1; i <= last; i++) {
                double cur = v[i];
                if (cur < prev) result += prev; // counter reset: the counter restarted from zero
                prev = cur;
            }
        }
        double durationToStart = (t[first] - w.rangeStart) / 1000.0;
        double durationToEnd = (w.rangeEnd - t[last]) / 1000.0;
        double sampledInterval = (t[last] - t[first]) / 1000.0;
        double averageBetween = sampledInterval / (n - 1);
        if (isCounter && result > 0 && v[first] >= 0) {
            // A counter can't go below zero: don't extrapolate back further than where it would reach zero.
            double durationToZero = sampledInterval * (v[first] / result);
            if (durationToZero < durationToStart) durationToStart = durationToZero;
        }
        double threshold = averageBetween * 1.1;
        double extrapolateTo = sampledInterval;
        extrapolateTo += durationToStart < threshold ? durationToStart : averageBetween / 2;
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetween / 2;
        double factor = extrapolateTo / sampledInterval;
        if (isRate) factor /= w.rangeMillis / 1000.0;
        return result * factor;
    }

    static double instantValue(Window w, boolean isRate) {
        int n = w.n;
        if (n < 2) return NO_VALUE;
        int i = w.off + n - 1;
        double last = w.v[i], prev = w.v[i - 1];
        double result = isRate && last < prev ? last : last - prev;
        long interval = w.t[i] - w.t[i - 1];
        if (interval == 0) return NO_VALUE;
        if (isRate) result /= interval / 1000.0;
        return result;
    }

    static double holtWinters(Window w) {
        double sf = w.scalarArgs[1], tf = w.scalarArgs[2];
        if (sf <= 0 || sf >= 1) {
            throw PromQLException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: " + GoFormat.fixed6(sf));
        }
        if (tf <= 0 || tf >= 1) {
            throw PromQLException.execution("invalid trend factor. Expected: 0 < tf < 1, got: " + GoFormat.fixed6(tf));
        }
        int n = w.n;
        if (n < 2) return NO_VALUE;
        double[] v = w.v;
        int o = w.off;
        double s0 = 0, s1 = v[o], b = v[o + 1] - v[o];
        for (int i = 1; i < n; i++) {
            double x = sf * v[o + i];
            // Trend at this point; the first step keeps the initial slope.
            if (i - 1 != 0) b = tf * (s1 - s0) + (1 - tf) * b;
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        return s1;
    }

    static double avgOverTime(Window w) {
        double mean = 0, count = 0, c = 0;
        for (int i = 0; i < w.n; i++) {
            double x = w.v[w.off + i];
            count++;
            if (Double.isInfinite(mean)) {
                // Inf - Inf would turn an infinite mean into NaN; the mean stays infinite unless a NaN or an
                // infinity of the other sign arrives.
                if (Double.isInfinite(x) && (mean > 0) == (x > 0)) continue;
                if (!Double.isInfinite(x) && !Double.isNaN(x)) continue;
            }
            double inc = x / count - mean / count;
            double tt = mean + inc;
            if (Math.abs(mean) >= Math.abs(inc)) c += (mean - tt) + inc;
            else c += (inc - tt) + mean;
            mean = tt;
        }
        return Double.isInfinite(mean) ? mean : mean + c;
    }

    static double maxOverTime(Window w) {
        double max = w.v[w.off];
        for (int i = 0; i < w.n; i++) {
            double x = w.v[w.off + i];
            if (x > max || Double.isNaN(max)) max = x;
        }
        return max;
    }

    static double minOverTime(Window w) {
        double min = w.v[w.off];
        for (int i = 0; i < w.n; i++) {
            double x = w.v[w.off + i];
            if (x < min || Double.isNaN(min)) min = x;
        }
        return min;
    }

    static double sumOverTime(Window w) {
        double sum = 0, c = 0;
        for (int i = 0; i < w.n; i++) {
            double inc = w.v[w.off + i];
            double tt = sum + inc;
            if (Math.abs(sum) >= Math.abs(inc)) c += (sum - tt) + inc;
            else c += (inc - tt) + sum;
            sum = tt;
        }
        return Double.isInfinite(sum) ? sum : sum + c;
    }

    static double stdvarOverTime(Window w) {
        double count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
        for (int i = 0; i < w.n; i++) {
            double x = w.v[w.off + i];
            count++;
            double delta = x - (mean + cMean);
            double inc = delta / count;
            double tt = mean + inc;
            if (Math.abs(mean) >= Math.abs(inc)) cMean += (mean - tt) + inc;
            else cMean += (inc - tt) + mean;
            mean = tt;
            double inc2 = delta * (x - (mean + cMean));
            double t2 = aux + inc2;
            if (Math.abs(aux) >= Math.abs(inc2)) cAux += (aux - t2) + inc2;
            else cAux += (inc2 - t2) + aux;
            aux = t2;
        }
        return (aux + cAux) / count;
    }

    /** Least-squares fit of the window; returns {slope, intercept} at {@code interceptTime}. */
    static void linearRegression(Window w, long interceptTime, double[] out) {
        double n = 0, sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
        double initY = w.v[w.off];
        boolean constY = true;
        for (int i = 0; i < w.n; i++) {
            double y = w.v[w.off + i];
            if (constY && i > 0 && y != initY) constY = false;
            n += 1.0;
            double x = (w.t[w.off + i] - interceptTime) / 1e3;
            double tt;
            tt = sumX + x;
            if (Math.abs(sumX) >= Math.abs(x)) cX += (sumX - tt) + x; else cX += (x - tt) + sumX;
            sumX = tt;
            tt = sumY + y;
            if (Math.abs(sumY) >= Math.abs(y)) cY += (sumY - tt) + y; else cY += (y - tt) + sumY;
            sumY = tt;
            double xy = x * y;
            tt = sumXY + xy;
            if (Math.abs(sumXY) >= Math.abs(xy)) cXY += (sumXY - tt) + xy; else cXY += (xy - tt) + sumXY;
            sumXY = tt;
            double x2 = x * x;
            tt = sumX2 + x2;
            if (Math.abs(sumX2) >= Math.abs(x2)) cX2 += (sumX2 - tt) + x2; else cX2 += (x2 - tt) + sumX2;
            sumX2 = tt;
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                out[0] = Double.NaN;
                out[1] = Double.NaN;
            } else {
                out[0] = 0;
                out[1] = initY;
            }
            return;
        }
        sumX += cX;
        sumY += cY;
        sumXY += cXY;
        sumX2 += cX2;
        double covXY = sumXY - sumX * sumY / n;
        double varX = sumX2 - sumX * sumX / n;
        double slope = covXY / varX;
        out[0] = slope;
        out[1] = sumY / n - slope * sumX / n;
    }

    private static final ThreadLocal<double[]> REGRESSION = ThreadLocal.withInitial(() -> new double[2]);

    static double deriv(Window w) {
        if (w.n < 2) return NO_VALUE;
        double[] r = REGRESSION.get();
        linearRegression(w, w.t[w.off], r);
        return r[0];
    }

    static double predictLinear(Window w) {
        if (w.n < 2) return NO_VALUE;
        double duration = w.scalarArgs[1];
        double[] r = REGRESSION.get();
        linearRegression(w, w.ts, r);
        return r[0] * duration + r[1];
    }

    static double resets(Window w) {
        int resets = 0;
        double prev = w.v[w.off];
        for (int i = 1; i < w.n; i++) {
            double cur = w.v[w.off + i];
            if (cur < prev) resets++;
            prev = cur;
        }
        return resets;
    }

    static double changes(Window w) {
        int changes = 0;
        double prev = w.v[w.off];
        for (int i = 1; i < w.n; i++) {
            double cur = w.v[w.off + i];
            if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) changes++;
            prev = cur;
        }
        return changes;
    }
}
