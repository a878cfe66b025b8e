package io.tsdb4j.record;

/** The type byte that starts every WAL record. */
public final class RecordType {
    public static final int UNKNOWN = 255;
    public static final int SERIES = 1;
    public static final int SAMPLES = 2;
    public static final int TOMBSTONES = 3;
    public static final int EXEMPLARS = 4;
    public static final int MMAP_MARKERS = 5;
    public static final int METADATA = 6;
    public static final int HISTOGRAM_SAMPLES = 7;
    public static final int FLOAT_HISTOGRAM_SAMPLES = 8;

    private RecordType() {}

    public static int of(byte[] rec, int len) {
        if (len < 1) return UNKNOWN;
        int t = rec[0] & 0xFF;
        return t >= SERIES && t <= FLOAT_HISTOGRAM_SAMPLES ? t : UNKNOWN;
    }

    public static String name(int t) {
        switch (t) {
            case SERIES: return "series";
            case SAMPLES: return "samples";
            case TOMBSTONES: return "tombstones";
            case EXEMPLARS: return "exemplars";
            case MMAP_MARKERS: return "mmap markers";
            case METADATA: return "metadata";
            case HISTOGRAM_SAMPLES: return "histogram samples";
            case FLOAT_HISTOGRAM_SAMPLES: return "float histogram samples";
            default: return "unknown(" + t + ")";
        }
    }
}
