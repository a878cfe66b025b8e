package io.tsdb4j.server;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.remote.RemoteProtocolException;
import io.tsdb4j.remote.WriteRequest;
import io.tsdb4j.remote.WriteRequestDecoder;
import io.tsdb4j.remote.WriteRequestEncoder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and truncated remote-write bodies against one running server: a body that does not decode gets 400, the
 * server keeps answering, and nothing of a refused body is stored (no new series, no new samples).
 */
class RemoteWriteFuzzProperties {
    static Path dir;
    static ServerFixture f;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("tsdb4j-fuzz");
        f = new ServerFixture(dir);
    }

    @AfterContainer
    static void stop() throws Exception {
        f.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static boolean decodes(byte[] body) {
        try {
            new WriteRequestDecoder().decodeSnappy(body, 32 << 20, new WriteRequest());
            return true;
        } catch (RemoteProtocolException e) {
            return false;
        }
    }

    private static void assertRefusedWithoutEffect(byte[] body) throws Exception {
        long series = f.db().head().numSeries();
        long appended = f.db().headStats().samplesAppended();
        HttpResponse<String> r = f.write("/api/v1/write", body);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("cannot decode remote-write request: "), r.body());
        assertEquals(series, f.db().head().numSeries());
        assertEquals(appended, f.db().headStats().samplesAppended());
        assertEquals(200, f.get("/-/ready").statusCode());
    }

    @Property(tries = 200)
    void randomBytesThatDoNotDecodeAre400(@ForAll @Size(max = 2000) byte[] body) throws Exception {
        // The decoder is the oracle for "does not decode"; a random body that happens to be a valid request
        // (e.g. an empty one) is simply not this property's concern.
        if (!decodes(body)) assertRefusedWithoutEffect(body);
    }

    @Provide
    Arbitrary<byte[]> validBodies() {
        return Arbitraries.integers().between(1, 20).flatMap(nSeries -> Arbitraries.integers().between(1, 30).map(nSamples -> {
            WriteRequestEncoder enc = new WriteRequestEncoder();
            for (int s = 0; s < nSeries; s++) {
                enc.startSeries(Labels.of("__name__", "fuzz_metric", "series", Integer.toString(s), "pad", "x".repeat(s)));
                for (int i = 0; i < nSamples; i++) enc.sample(1_000_000 + i * 1000L, i);
            }
            return enc.encodeSnappy();
        }));
    }

    @Property(tries = 200)
    void truncatedValidBodiesAre400(@ForAll("validBodies") byte[] body, @ForAll @IntRange(min = 1, max = 1_000_000) int cutSeed) throws Exception {
        byte[] cut = Arrays.copyOf(body, cutSeed % body.length);
        assertRefusedWithoutEffect(cut);
    }

    @Property(tries = 200)
    void corruptedValidBodiesThatDoNotDecodeAre400(@ForAll("validBodies") byte[] body,
                                                  @ForAll @IntRange(min = 0, max = 1_000_000) int posSeed,
                                                  @ForAll byte flip) throws Exception {
        byte[] bad = body.clone();
        bad[posSeed % bad.length] ^= (byte) (flip == 0 ? 1 : flip);
        if (!decodes(bad)) assertRefusedWithoutEffect(bad);
    }
}
