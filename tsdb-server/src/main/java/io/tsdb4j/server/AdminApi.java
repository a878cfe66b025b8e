package io.tsdb4j.server;

import io.tsdb4j.Tsdb;
import io.tsdb4j.labels.Matcher;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * Prometheus's TSDB admin API under {@code /api/v1/admin/tsdb/}: {@code delete_series}, {@code clean_tombstones},
 * {@code snapshot} (POST or PUT). Off unless {@code admin.enabled: true} (then 503 "admin APIs disabled", as
 * Prometheus without {@code --web.enable-admin-api}).
 * Snapshots go to {@code <data>/snapshots/<time>-<random>} like Prometheus's.
 */
final class AdminApi {
    private static final DateTimeFormatter SNAPSHOT_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    private final Tsdb db;
    private final boolean enabled;
    private final SecureRandom random = new SecureRandom();

    AdminApi(Tsdb db, boolean enabled) {
        this.db = db;
        this.enabled = enabled;
    }

    void handle(Request r, String op) throws IOException {
        if (!"POST".equals(r.method) && !"PUT".equals(r.method)) {
            r.exchange.getResponseHeaders().set("Allow", "POST, PUT");
            throw new ApiError("bad_data", 405, "method not allowed: admin endpoints take POST or PUT");
        }
        if (!enabled) throw new ApiError("unavailable", "admin APIs disabled");
        switch (op) {
            case "delete_series": deleteSeries(r); break;
            case "clean_tombstones":
                try {
                    db.cleanTombstones();
                } catch (IOException | RuntimeException e) {
                    throw new ApiError("internal", "clean_tombstones failed: " + e.getMessage());
                }
                Responses.empty(r.exchange, 204);
                break;
            case "snapshot": snapshot(r); break;
            default: throw new ApiError("not_found", "unknown admin endpoint: " + op);
        }
    }

    private void deleteSeries(Request r) throws IOException {
        if (r.all("match[]").isEmpty()) throw ApiError.badData("no match[] parameter provided");
        long start = ApiParams.timeParam(r, "start", ApiParams.MIN_TIME);
        long end = ApiParams.timeParam(r, "end", ApiParams.MAX_TIME);
        List<Matcher[]> sets = QueryApi.matchSets(r);
        for (Matcher[] ms : sets) {
            try {
                db.delete(start, end, ms);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidParam("match[]", e.getMessage());
            } catch (IOException | RuntimeException e) {
                throw new ApiError("internal", "delete_series failed: " + e.getMessage());
            }
        }
        Responses.empty(r.exchange, 204);
    }

    private void snapshot(Request r) throws IOException {
        String skip = r.get("skip_head");
        if (!skip.isEmpty() && !skip.matches("(?i)1|t|true|0|f|false")) {
            throw ApiError.invalidParam("skip_head", "strconv.ParseBool: parsing \"" + skip + "\": invalid syntax");
        }
        String name = SNAPSHOT_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + HexFormat.of().formatHex(randomBytes());
        Path dir = db.dir().resolve("snapshots").resolve(name);
        boolean skipHead = skip.matches("(?i)1|t|true");
        try {
            db.snapshot(dir, !skipHead);
        } catch (IOException | RuntimeException e) {
            throw new ApiError("internal", "snapshot failed: " + e.getMessage());
        }
        Responses.success(r.exchange, g -> {
            g.writeStartObject();
            g.writeStringField("name", name);
            g.writeEndObject();
        });
    }

    private byte[] randomBytes() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return b;
    }
}
