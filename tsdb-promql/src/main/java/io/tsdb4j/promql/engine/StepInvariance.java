package io.tsdb4j.promql.engine;

import io.tsdb4j.promql.ast.AggregateExpr;
import io.tsdb4j.promql.ast.AtModifier;
import io.tsdb4j.promql.ast.BinaryExpr;
import io.tsdb4j.promql.ast.Call;
import io.tsdb4j.promql.ast.Expr;
import io.tsdb4j.promql.ast.MatrixSelector;
import io.tsdb4j.promql.ast.NumberLiteral;
import io.tsdb4j.promql.ast.ParenExpr;
import io.tsdb4j.promql.ast.StringLiteral;
import io.tsdb4j.promql.ast.SubqueryExpr;
import io.tsdb4j.promql.ast.UnaryExpr;
import io.tsdb4j.promql.ast.VectorSelector;

import java.util.Set;

/**
 * Finds the largest sub-expressions whose value does not depend on the evaluation step (they only read data at
 * fixed {@code @} times). The engine evaluates those once and repeats the result at every step, as Prometheus does.
 */
final class StepInvariance {
    /** Functions whose result depends on the evaluation time even when their arguments do not. */
    static final Set<String> AT_MODIFIER_UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week",
            "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

    private StepInvariance() {}

    /** Adds the roots of maximal step-invariant sub-trees of {@code root} (by identity) to {@code out}. */
    static void mark(Expr root, Set<Expr> out) {
        if (visit(root, out)) out.add(root);
    }

    private static boolean visit(Expr e, Set<Expr> out) {
        if (e instanceof VectorSelector vs) {
            return vs.timestampMillis() != null || vs.startOrEnd() != AtModifier.NONE;
        } else if (e instanceof AggregateExpr a) {
            return visit(a.expr(), out);
        } else if (e instanceof BinaryExpr b) {
            boolean l = visit(b.lhs(), out), r = visit(b.rhs(), out);
            if (l && r) return true;
            if (l) out.add(b.lhs());
            if (r) out.add(b.rhs());
            return false;
        } else if (e instanceof Call c) {
            boolean inv = !AT_MODIFIER_UNSAFE.contains(c.func().name());
            boolean[] argInv = new boolean[c.args().size()];
            for (int i = 0; i < argInv.length; i++) {
                argInv[i] = visit(c.args().get(i), out);
                inv &= argInv[i];
            }
            if (inv) return true;
            for (int i = 0; i < argInv.length; i++) if (argInv[i]) out.add(c.args().get(i));
            return false;
        } else if (e instanceof MatrixSelector ms) {
            return visit(ms.vs(), out);
        } else if (e instanceof SubqueryExpr sq) {
            if (visit(sq.expr(), out)) out.add(sq.expr());
            return sq.timestampMillis() != null || sq.startOrEnd() != AtModifier.NONE;
        } else if (e instanceof ParenExpr p) {
            return visit(p.expr(), out);
        } else if (e instanceof UnaryExpr u) {
            return visit(u.expr(), out);
        } else if (e instanceof StringLiteral || e instanceof NumberLiteral) {
            return true;
        }
        throw new IllegalStateException("unexpected node " + e.getClass().getSimpleName());
    }
}
