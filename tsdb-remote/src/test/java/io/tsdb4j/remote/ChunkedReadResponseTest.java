package io.tsdb4j.remote;

import io.tsdb4j.labels.Labels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

class ChunkedReadResponseTest {
    /** One series of the answer to query {@code queryIndex}. */
    record StreamedSeries(long queryIndex, Labels labels, List<RemoteChunk> chunks) {
    }

    @Provide
    Arbitrary<List<StreamedSeries>> streams() {
        Arbitrary<RemoteChunk> chunk = Combinators.combine(Gen.timestamp(), Gen.timestamp(),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, Arbitraries.just(RemoteChunk.XOR)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 3))),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300)).as(RemoteChunk::new);
        Arbitrary<StreamedSeries> series = Combinators.combine(Arbitraries.longs().between(0, 3), Gen.seriesLabels(),
                chunk.list().ofMaxSize(6)).as(StreamedSeries::new);
        return series.list().ofMaxSize(5);
    }

    static byte[] write(List<StreamedSeries> stream, int maxBytesInFrame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedReadResponseWriter w = new ChunkedReadResponseWriter(out, maxBytesInFrame);
        for (StreamedSeries s : stream) {
            w.startSeries(s.queryIndex(), s.labels());
            for (RemoteChunk c : s.chunks()) {
                // Pass the chunk inside a larger buffer, then scribble on it: the writer must have copied it.
                byte[] padded = new byte[c.data().length + 4];
                System.arraycopy(c.data(), 0, padded, 2, c.data().length);
                w.addChunk(c.minTimeMs(), c.maxTimeMs(), c.encoding(), padded, 2, c.data().length);
                java.util.Arrays.fill(padded, (byte) 0x55);
            }
        }
        w.finish();
        return out.toByteArray();
    }

    static List<ChunkedReadResponse> readAll(byte[] stream) throws IOException {
        ChunkedReadResponseReader r = new ChunkedReadResponseReader(new ByteArrayInputStream(stream));
        List<ChunkedReadResponse> frames = new ArrayList<>();
        for (ChunkedReadResponse f; (f = r.next()) != null; ) frames.add(f);
        assertEquals(stream.length, r.offset());
        return frames;
    }

    @Property(tries = 500)
    void framesReassembleIntoTheWrittenSeries(@ForAll("streams") List<StreamedSeries> stream,
                                              @ForAll @IntRange(min = 1, max = 3000) int maxBytesInFrame) throws IOException {
        List<ChunkedReadResponse> frames = readAll(write(stream, maxBytesInFrame));
        // Reassemble: consecutive frames of the same query and labels belong to one series.
        List<StreamedSeries> got = new ArrayList<>();
        for (ChunkedReadResponse f : frames) {
            assertEquals(1, f.chunkedSeries().size(), "one series per frame");
            ChunkedSeries cs = f.chunkedSeries().get(0);
            assertFalse(cs.chunks().isEmpty(), "no empty frames");
            StreamedSeries last = got.isEmpty() ? null : got.get(got.size() - 1);
            if (last != null && last.queryIndex() == f.queryIndex() && last.labels().equals(cs.labels())) {
                last.chunks().addAll(cs.chunks());
            } else {
                got.add(new StreamedSeries(f.queryIndex(), cs.labels(), new ArrayList<>(cs.chunks())));
            }
        }
        List<StreamedSeries> want = new ArrayList<>();
        for (StreamedSeries s : stream) {
            if (s.chunks().isEmpty()) continue; // nothing to send, no frame
            StreamedSeries last = want.isEmpty() ? null : want.get(want.size() - 1);
            if (last != null && last.queryIndex() == s.queryIndex() && last.labels().equals(s.labels())) {
                last.chunks().addAll(s.chunks()); // indistinguishable from one series split over frames
            } else {
                want.add(new StreamedSeries(s.queryIndex(), s.labels(), new ArrayList<>(s.chunks())));
            }
        }
        assertEquals(want, got);
    }

    @Property(tries = 200)
    void frameSizeTargetDecidesTheSplit(@ForAll("streams") List<StreamedSeries> stream) throws IOException {
        int chunks = 0, nonEmptySeries = 0;
        for (StreamedSeries s : stream) {
            chunks += s.chunks().size();
            if (!s.chunks().isEmpty()) nonEmptySeries++;
        }
        assertEquals(nonEmptySeries, readAll(write(stream, Integer.MAX_VALUE)).size(), "one frame per series");
        assertEquals(chunks, readAll(write(stream, 1)).size(), "one frame per chunk");
    }

    @Test
    void frameLayoutIsLengthThenBigEndianCrc32cThenMessage() throws IOException {
        byte[] data = {0, 1, 2, 3};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedReadResponseWriter w = new ChunkedReadResponseWriter(out);
        w.startSeries(2, Labels.of("a", "b"));
        w.addChunk(1000, 2000, RemoteChunk.XOR, data, 0, data.length);
        w.finish();
        byte[] msg = new RawProto()
                .messageField(1, new RawProto().label(1, "a", "b")
                        .messageField(2, new RawProto().varintField(1, 1000).varintField(2, 2000).varintField(3, 1).bytesField(4, data)))
                .varintField(2, 2).bytes();
        CRC32C crc = new CRC32C();
        crc.update(msg);
        long c = crc.getValue();
        byte[] expected = new RawProto().varint(msg.length)
                .raw((byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c).raw(msg).bytes();
        assertArrayEquals(expected, out.toByteArray());
        assertEquals(1, w.framesWritten());
    }

    @Property(tries = 200)
    void everyTruncationIsAnErrorUnlessAtAFrameBoundary(@ForAll("streams") List<StreamedSeries> stream,
                                                       @ForAll @IntRange(min = 1, max = 800) int maxBytesInFrame) throws IOException {
        byte[] bytes = write(stream, maxBytesInFrame);
        Set<Integer> boundaries = new HashSet<>();
        boundaries.add(0);
        ChunkedReadResponseReader r = new ChunkedReadResponseReader(new ByteArrayInputStream(bytes));
        while (r.next() != null) boundaries.add((int) r.offset());
        for (int len = 0; len < bytes.length; len++) {
            try {
                readAll(java.util.Arrays.copyOf(bytes, len));
                assertTrue(boundaries.contains(len), "prefix of " + len + " bytes read cleanly");
            } catch (RemoteProtocolException e) {
                assertFalse(boundaries.contains(len), e.getMessage());
            }
        }
    }

    @Property(tries = 300)
    void bitFlipsAreDetected(@ForAll("streams") List<StreamedSeries> stream, @ForAll @IntRange(min = 0, max = 1 << 20) int where,
                             @ForAll @IntRange(min = 0, max = 7) int bit) throws IOException {
        byte[] bytes = write(stream, 500);
        if (bytes.length == 0) return;
        bytes[where % bytes.length] ^= (byte) (1 << bit);
        // Any change to a length, checksum or message byte breaks the frame (up to CRC collisions, 2^-32).
        assertThrows(RemoteProtocolException.class, () -> readAll(bytes));
    }

    @Property
    void randomBytesFailOnlyWithProtocolException(@ForAll @Size(max = 200) byte[] garbage) throws IOException {
        try {
            readAll(garbage);
        } catch (RemoteProtocolException expected) {
            assertTrue(expected.getMessage().startsWith("streamed read response frame"), expected.getMessage());
        }
    }

    @Test
    void oversizedFrameIsRejectedBeforeReadingIt() {
        byte[] huge = new RawProto().varint(1L << 40).raw(new byte[8]).bytes();
        RemoteProtocolException e = assertThrows(RemoteProtocolException.class, () -> readAll(huge));
        assertTrue(e.getMessage().contains("exceeds the limit of " + RemoteHeaders.DEFAULT_CHUNKED_READ_LIMIT), e.getMessage());
        byte[] small = new RawProto().varint(11).raw(new byte[15]).bytes();
        ChunkedReadResponseReader r = new ChunkedReadResponseReader(new ByteArrayInputStream(small), 10);
        assertThrows(RemoteProtocolException.class, r::next);
        byte[] overflow = new RawProto().raw((byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F).bytes();
        e = assertThrows(RemoteProtocolException.class, () -> readAll(overflow));
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
    }

    @Test
    void validFrameWithBadMessageNamesTheFrame() throws IOException {
        byte[] ok = write(List.of(new StreamedSeries(0, Labels.of("a", "b"), List.of(new RemoteChunk(1, 2, 1, new byte[] {1})))), 100);
        byte[] msg = {0x0A, 0x02, 0x0A, 0x00}; // series with one label with empty name
        CRC32C crc = new CRC32C();
        crc.update(msg);
        long c = crc.getValue();
        byte[] bad = new RawProto().raw(ok).varint(msg.length).raw((byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c)
                .raw(msg).bytes();
        ChunkedReadResponseReader r = new ChunkedReadResponseReader(new ByteArrayInputStream(bad));
        assertNotNull(r.next());
        RemoteProtocolException e = assertThrows(RemoteProtocolException.class, r::next);
        assertTrue(e.getMessage().contains("frame 1") && e.getMessage().contains("invalid label name \"\""), e.getMessage());
        assertEquals(ok.length, e.offset());
    }
}
