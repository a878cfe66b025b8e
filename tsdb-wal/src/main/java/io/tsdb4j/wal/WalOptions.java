package io.tsdb4j.wal;

/**
 * Immutable writer settings. Defaults match Prometheus's library defaults except compression: segment size
 * 128 MiB, compression off (the 2.42 server turns it on with {@code --storage.tsdb.wal-compression}).
 *
 * <pre>{@code WalOptions opts = WalOptions.defaults().withCompress(true);}</pre>
 */
public final class WalOptions {
    private static final WalOptions DEFAULTS = new WalOptions(WalFormat.DEFAULT_SEGMENT_SIZE, false);

    private final int segmentSize;
    private final boolean compress;

    private WalOptions(int segmentSize, boolean compress) {
        if (segmentSize < WalFormat.PAGE_SIZE || segmentSize % WalFormat.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("WAL segment size must be a positive multiple of the page size "
                + WalFormat.PAGE_SIZE + ", got " + segmentSize);
        }
        this.segmentSize = segmentSize;
        this.compress = compress;
    }

    /** Segment size 128 MiB, no compression. */
    public static WalOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Nominal maximum segment size in bytes (a multiple of {@link WalFormat#PAGE_SIZE}). */
    public int segmentSize() {
        return segmentSize;
    }

    /** Whether records are snappy compressed (kept only when strictly smaller). */
    public boolean compress() {
        return compress;
    }

    /** @throws IllegalArgumentException unless {@code bytes} is a positive multiple of the page size */
    public WalOptions withSegmentSize(int bytes) {
        return new WalOptions(bytes, compress);
    }

    public WalOptions withCompress(boolean on) {
        return new WalOptions(segmentSize, on);
    }

    @Override
    public String toString() {
        return "WalOptions{segmentSize=" + segmentSize + ", compress=" + compress + '}';
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private int segmentSize = WalFormat.DEFAULT_SEGMENT_SIZE;
        private boolean compress;

        private Builder() {
        }

        public Builder segmentSize(int bytes) {
            this.segmentSize = bytes;
            return this;
        }

        public Builder compress(boolean on) {
            this.compress = on;
            return this;
        }

        public WalOptions build() {
            return new WalOptions(segmentSize, compress);
        }
    }
}
