package io.tsdb4j.server;

import io.tsdb4j.Appender;
import io.tsdb4j.CommitResult;
import io.tsdb4j.SampleRejectedException;
import io.tsdb4j.Tsdb;
import io.tsdb4j.labels.InvalidLabelsException;
import io.tsdb4j.labels.Labels;
import io.tsdb4j.remote.LabelSetCache;
import io.tsdb4j.remote.MetricMetadata;
import io.tsdb4j.remote.RemoteHeaders;
import io.tsdb4j.remote.RemoteProtocolException;
import io.tsdb4j.remote.WriteRequest;
import io.tsdb4j.remote.WriteRequestDecoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Remote write 1.0 receiver ({@code POST /api/v1/write}, and {@code POST /api/<org>/prometheus/api/v1/write},
 * which adds the label {@code <write.tenant_label>="<org>"} to every series, replacing one the series had).
 *
 * <p>Order of work: take a concurrency permit (none free: 503 with {@code Retry-After}), read the body (too large:
 * 413), decode and validate all of it (undecodable: 400, nothing appended), check the sample limit (400), then append
 * everything through one appender and commit once. Samples the head refuses (out of order, too old, duplicate
 * timestamp) or series with invalid labels are skipped and listed in a 400 answer; every other sample of the request
 * is committed. All accepted: 204. The answer is sent after the commit, so an acknowledged sample is as durable as
 * {@code storage.sync_policy} makes it. Exemplars and native histograms are counted and dropped; metadata is kept
 * in memory.
 */
final class RemoteWriteHandler {
    /** Rejections listed one per line in a 400 answer before the rest are only counted. */
    static final int MAX_LISTED_REJECTIONS = 10;

    private final Tsdb db;
    private final ServerConfig cfg;
    private final ServerMetrics metrics;
    private final MetadataStore metadata;
    private final Semaphore permits;
    /** Per handler thread: the body buffer, reused (remote write sends a steady stream of similar bodies). */
    private final ThreadLocal<Request.Body> bodies = ThreadLocal.withInitial(Request.Body::new);
    /** Shared by all handler threads, so each known series is held once and always as the same instance. */
    private final LabelSetCache labelSets;
    private final ThreadLocal<WriteRequestDecoder> decoders;
    private final ThreadLocal<WriteRequest> requests = ThreadLocal.withInitial(WriteRequest::new);
    /**
     * Per tenant, each decoded label set with the tenant label added, keyed by the decoded set (the same instance
     * for a known series, from {@link #labelSets}): a known series costs one lookup instead of a new label set.
     * Cleared when it outgrows twice the head's series; tenants past {@link #MAX_CACHED_TENANTS} are not cached.
     */
    private final ConcurrentHashMap<String, ConcurrentHashMap<Labels, Labels>> tenantLabels = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_TENANTS = 64;

    RemoteWriteHandler(Tsdb db, ServerConfig cfg, ServerMetrics metrics, MetadataStore metadata) {
        this.db = db;
        this.cfg = cfg;
        this.metrics = metrics;
        this.metadata = metadata;
        this.permits = new Semaphore(cfg.writeMaxConcurrent());
        this.labelSets = new LabelSetCache(() -> db.head().numSeries());
        this.decoders = ThreadLocal.withInitial(() -> new WriteRequestDecoder(labelSets));
    }

    int inFlight() {
        return cfg.writeMaxConcurrent() - permits.availablePermits();
    }

    /** Handles one write; {@code tenant} is null for the plain endpoint. */
    void handle(Request r, String tenant) throws IOException {
        if (!"POST".equals(r.method)) {
            r.exchange.getResponseHeaders().set("Allow", "POST");
            Responses.text(r.exchange, 405, "method not allowed: remote write takes POST\n");
            return;
        }
        if (!permits.tryAcquire()) {
            metrics.refusedWrite("saturated");
            r.exchange.getResponseHeaders().set(RemoteHeaders.RETRY_AFTER, Integer.toString(cfg.writeRetryAfterSeconds()));
            Responses.text(r.exchange, 503, "too many concurrent remote-write requests (write.max_concurrent_requests="
                    + cfg.writeMaxConcurrent() + "); retry later\n");
            return;
        }
        Reply reply;
        try {
            reply = write(r, tenant);
        } finally {
            // Free the permit before answering: a sender may post its next request as soon as it has our answer.
            permits.release();
        }
        if (reply.status() == 204) Responses.empty(r.exchange, 204);
        else Responses.text(r.exchange, reply.status(), reply.text());
    }

    /** What to answer, decided while holding the permit and sent after releasing it. */
    private record Reply(int status, String text) {
        static final Reply NO_CONTENT = new Reply(204, "");
    }

    private Reply write(Request r, String tenant) throws IOException {
        int maxDecoded = cfg.writeMaxDecodedBytes();
        // Snappy's worst case for incompressible input is 32 + n + n/6 bytes.
        int maxBody = (int) Math.min(Integer.MAX_VALUE - 16, 32L + maxDecoded + maxDecoded / 6);
        Request.Body body = bodies.get();
        if (!body.read(r.exchange.getRequestBody(), maxBody)) {
            metrics.refusedWrite("too_large");
            return new Reply(413, "request body larger than " + maxBody + " bytes (write.max_decoded_bytes=" + maxDecoded + ")\n");
        }
        WriteRequest wr = requests.get();
        try {
            decoders.get().decodeSnappy(body.array, 0, body.length, maxDecoded, wr);
        } catch (RemoteProtocolException e) {
            metrics.refusedWrite("undecodable");
            return new Reply(400, "cannot decode remote-write request: " + e.getMessage() + "\n");
        }
        try {
            int samples = wr.sampleCount();
            if (samples > cfg.writeMaxSamples()) {
                metrics.refusedWrite("too_many_samples");
                return new Reply(400, "request has " + samples + " samples, more than write.max_samples_per_request="
                        + cfg.writeMaxSamples() + "\n");
            }
            metrics.writeSamplesReceived.add(samples);
            metrics.writeExemplarsIgnored.add(wr.exemplarCount());
            metrics.writeHistogramsIgnored.add(wr.histogramCount());
            for (MetricMetadata m : wr.metadata()) metadata.add(m);
            metrics.writeMetadataReceived.add(wr.metadata().size());
            return append(wr, tenant);
        } finally {
            wr.clear();
        }
    }

    private Labels withTenant(Labels labels, String tenant, String tenantLabel) {
        ConcurrentHashMap<Labels, Labels> cache = tenantLabels.get(tenant);
        if (cache == null) {
            if (tenantLabels.size() >= MAX_CACHED_TENANTS) return labels.toBuilder().set(tenantLabel, tenant).build();
            cache = tenantLabels.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
        }
        Labels l = cache.get(labels);
        if (l == null) {
            l = labels.toBuilder().set(tenantLabel, tenant).build();
            if (cache.size() > 2 * Math.max(1024, db.head().numSeries())) cache.clear();
            cache.put(labels, l);
        }
        return l;
    }

    private Reply append(WriteRequest wr, String tenant) throws IOException {
        List<String> problems = new ArrayList<>();
        int rejected = 0;
        Appender app = db.appender();
        CommitResult res;
        try {
            String tenantLabel = cfg.tenantLabel();
            for (int s = 0; s < wr.seriesCount(); s++) {
                int start = wr.sampleStart(s);
                int end = wr.sampleEnd(s);
                if (start == end) continue;
                Labels labels = wr.labels(s);
                if (tenant != null) labels = withTenant(labels, tenant, tenantLabel);
                long ref = -1;
                for (int i = start; i < end; i++) {
                    try {
                        if (ref < 0) ref = app.append(labels, wr.timestamp(i), wr.value(i));
                        else app.append(ref, wr.timestamp(i), wr.value(i));
                    } catch (SampleRejectedException e) {
                        rejected++;
                        if (problems.size() < MAX_LISTED_REJECTIONS) problems.add(e.getMessage());
                    } catch (InvalidLabelsException e) {
                        rejected += end - i;
                        if (problems.size() < MAX_LISTED_REJECTIONS) problems.add("invalid series " + labels + ": " + e.getMessage() + " (" + (end - i) + " samples)");
                        break;
                    }
                }
            }
            long t0 = System.nanoTime();
            res = app.commit();
            metrics.commitDuration.observeNanos(System.nanoTime() - t0);
        } catch (IOException | RuntimeException e) {
            try {
                app.rollback();
            } catch (RuntimeException ignored) {
                // already finished or failed: nothing was made visible
            }
            if (e instanceof RuntimeException re) throw re;
            metrics.refusedWrite("storage_error");
            // Not acknowledged: the sender retries. Samples of a commit whose WAL write failed may be queryable
            // until the restart that the database now needs, and are stored again by the retry after it.
            return new Reply(500, "storage error, the request was not stored durably: " + e.getMessage() + "\n");
        }
        for (SampleRejectedException e : res.rejected()) {
            rejected++;
            if (problems.size() < MAX_LISTED_REJECTIONS) problems.add(e.getMessage());
        }
        if (rejected == 0) return Reply.NO_CONTENT;
        metrics.writeSamplesRejected.add(rejected);
        StringBuilder sb = new StringBuilder();
        sb.append(rejected).append(" of ").append(rejected + res.accepted()).append(" samples rejected, ")
                .append(res.accepted()).append(" stored:\n");
        for (String p : problems) sb.append(p).append('\n');
        if (rejected > problems.size()) sb.append("... and ").append(rejected - problems.size()).append(" more\n");
        return new Reply(400, sb.toString());
    }
}
