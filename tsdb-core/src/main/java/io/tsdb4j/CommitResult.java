package io.tsdb4j;

import java.util.List;

/**
 * What a commit stored: the number of samples accepted, and the samples rejected at commit time because a
 * concurrent commit had already moved their series past them (rejections at {@code append} time were thrown
 * there and are not repeated here).
 */
public record CommitResult(int accepted, List<SampleRejectedException> rejected) {
    public static final CommitResult EMPTY = new CommitResult(0, List.of());
}
