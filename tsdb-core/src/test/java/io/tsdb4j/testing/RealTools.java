package io.tsdb4j.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Locates the real Prometheus tools the compatibility tests run. A missing tool fails the test loudly (never a
 * skip): install them with {@code tools/test-deps.sh} (the README's test command does).
 */
public final class RealTools {
    private RealTools() {}

    public static String prometheus() {
        return find("prometheus");
    }

    public static String promtool() {
        return find("promtool");
    }

    private static String find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        fail(name + " is not installed; this test runs the real Prometheus 2.42 tools. Run tools/test-deps.sh "
                + "(Debian package 'prometheus') or the README's test command, which installs them.");
        return null;
    }

    /** A free loopback TCP port. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
