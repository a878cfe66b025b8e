package io.tsdb4j.server;

import io.tsdb4j.Querier;
import io.tsdb4j.SampleIterator;
import io.tsdb4j.SeriesSet;
import io.tsdb4j.Tsdb;
import io.tsdb4j.chunk.XorChunk;
import io.tsdb4j.labels.Matcher;
import io.tsdb4j.remote.ChunkedReadResponseWriter;
import io.tsdb4j.remote.ReadRequest;
import io.tsdb4j.remote.ReadResponseEncoder;
import io.tsdb4j.remote.RemoteChunk;
import io.tsdb4j.remote.RemoteHeaders;
import io.tsdb4j.remote.RemoteProtocolException;
import io.tsdb4j.remote.ResponseType;
import io.tsdb4j.remote.SampleLimitExceededException;
import io.tsdb4j.remote.Snappy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.concurrent.Semaphore;

/**
 * Remote read ({@code POST /api/v1/read}): {@code SAMPLES} (one snappy-compressed {@code ReadResponse}, sample
 * limit {@code read.sample_limit}, exceeding it answers 400) and {@code STREAMED_XOR_CHUNKS} (frames of XOR chunks
 * of at most 120 samples re-encoded from the query results, {@code read.max_bytes_in_frame} per frame), negotiated
 * from {@code accepted_response_types}. Concurrent reads beyond {@code read.max_concurrent} wait, as in Prometheus.
 */
final class RemoteReadHandler {
    private static final System.Logger LOG = System.getLogger(RemoteReadHandler.class.getName());
    private static final int MAX_BODY = 32 << 20;

    private final Tsdb db;
    private final ServerConfig cfg;
    private final Semaphore permits;

    RemoteReadHandler(Tsdb db, ServerConfig cfg) {
        this.db = db;
        this.cfg = cfg;
        this.permits = new Semaphore(cfg.readMaxConcurrent(), true);
    }

    void handle(Request r) throws IOException {
        if (!"POST".equals(r.method)) {
            r.exchange.getResponseHeaders().set("Allow", "POST");
            Responses.text(r.exchange, 405, "method not allowed: remote read takes POST\n");
            return;
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Responses.text(r.exchange, 503, "interrupted while waiting for a remote-read slot\n");
            return;
        }
        try {
            read(r);
        } finally {
            permits.release();
        }
    }

    private void read(Request r) throws IOException {
        byte[] body = Request.readBody(r.exchange.getRequestBody(), MAX_BODY);
        if (body == null) {
            Responses.text(r.exchange, 413, "remote-read request larger than " + MAX_BODY + " bytes\n");
            return;
        }
        ReadRequest req;
        try {
            req = ReadRequest.parse(Snappy.decompress(body, 0, body.length, MAX_BODY));
        } catch (RemoteProtocolException e) {
            Responses.text(r.exchange, 400, "cannot decode remote-read request: " + e.getMessage() + "\n");
            return;
        }
        ResponseType type = req.negotiate(EnumSet.of(ResponseType.SAMPLES, ResponseType.STREAMED_XOR_CHUNKS));
        if (type == null) {
            Responses.text(r.exchange, 400, "none of the accepted response types " + req.acceptedResponseTypes()
                    + " is supported (SAMPLES=0, STREAMED_XOR_CHUNKS=1)\n");
            return;
        }
        if (type == ResponseType.SAMPLES) samples(r, req);
        else streamed(r, req);
    }

    private void samples(Request r, ReadRequest req) throws IOException {
        ReadResponseEncoder enc = new ReadResponseEncoder(cfg.readSampleLimit());
        try {
            for (ReadRequest.Query q : req.queries()) {
                try (Querier querier = db.querier(q.startTimestampMs(), q.endTimestampMs())) {
                    enc.addQueryResult(select(querier, q));
                }
            }
        } catch (SampleLimitExceededException e) {
            Responses.text(r.exchange, 400, "exceeded sample limit (" + e.limit() + ")\n");
            return;
        } catch (IllegalArgumentException e) {
            Responses.text(r.exchange, 400, e.getMessage() + "\n");
            return;
        }
        r.exchange.getResponseHeaders().set(RemoteHeaders.CONTENT_ENCODING, RemoteHeaders.SNAPPY);
        Responses.send(r.exchange, 200, RemoteHeaders.CONTENT_TYPE_PROTOBUF, enc.encodeSnappy());
    }

    private static SeriesSet select(Querier querier, ReadRequest.Query q) {
        return querier.select(q.matchers().toArray(new Matcher[0]));
    }

    private void streamed(Request r, ReadRequest req) throws IOException {
        // Validate selectors before committing to a 200: a query that cannot run answers 400 with no frames.
        for (ReadRequest.Query q : req.queries()) {
            if (q.matchers().stream().allMatch(Matcher::matchesEmpty)) {
                Responses.text(r.exchange, 400, "query " + req.queries().indexOf(q) + ": at least one matcher must not match the empty string\n");
                return;
            }
        }
        r.exchange.getResponseHeaders().set(RemoteHeaders.CONTENT_TYPE, RemoteHeaders.CONTENT_TYPE_STREAMED_CHUNKS);
        r.exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = new BufferedOutputStream(r.exchange.getResponseBody(), 64 * 1024)) {
            try {
                stream(out, req);
            } catch (RuntimeException e) {
                // The 200 is sent. As Prometheus does, write the error text into the stream: a client reads it as
                // a malformed frame (bad length or checksum) and fails instead of taking a short answer as complete.
                LOG.log(System.Logger.Level.WARNING, "streamed remote read failed after the response started", e);
                out.write(("\nremote read failed: " + e).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away during streamed remote read", e);
        }
    }

    private void stream(OutputStream out, ReadRequest req) throws IOException {
        {
            ChunkedReadResponseWriter w = new ChunkedReadResponseWriter(out, cfg.readMaxBytesInFrame());
            XorChunk chunk;
            for (int qi = 0; qi < req.queries().size(); qi++) {
                ReadRequest.Query q = req.queries().get(qi);
                try (Querier querier = db.querier(q.startTimestampMs(), q.endTimestampMs())) {
                    SeriesSet set = select(querier, q);
                    while (set.next()) {
                        SampleIterator it = set.at().iterator();
                        if (!it.next()) continue;
                        w.startSeries(qi, set.at().labels());
                        long minT = it.t();
                        chunk = new XorChunk();
                        do {
                            if (chunk.numSamples() == XorChunk.SAMPLES_PER_CHUNK) {
                                w.addChunk(minT, chunk.lastTime(), RemoteChunk.XOR, chunk.array(), 0, chunk.size());
                                chunk = new XorChunk();
                                minT = it.t();
                            }
                            chunk.append(it.t(), it.v());
                        } while (it.next());
                        w.addChunk(minT, chunk.lastTime(), RemoteChunk.XOR, chunk.array(), 0, chunk.size());
                    }
                }
            }
            w.finish();
        }
    }
}
