package io.tsdb4j.server;

/** Version information for {@code /api/v1/status/buildinfo} and {@code /metrics}. */
final class BuildInfo {
    /** The Prometheus version whose HTTP API, remote protocols and on-disk formats we implement. */
    static final String PROMETHEUS_COMPAT_VERSION = "2.42.0";

    private BuildInfo() {}

    static String version() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
