package io.tsdb4j.server;

import io.tsdb4j.SyncPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {
    @Test
    void parsesTheFlatYamlSubset() {
        ServerConfig c = ServerConfig.parse("# tsdb4j\n---\nlisten: 0.0.0.0:9999   # all interfaces\n"
                + "data_dir: '/var/lib/tsdb4j'\nstorage.sync_policy: interval\nstorage.sync_interval: 250ms\n"
                + "auth.basic.username: \"me\"\nauth.basic.password: \"p#ss word\"\nwrite.max_samples_per_request: 1_000\n\n", "t.yml");
        assertEquals("0.0.0.0", c.listenHost());
        assertEquals(9999, c.listenPort());
        assertEquals("/var/lib/tsdb4j", c.dataDir().toString());
        assertEquals(SyncPolicy.INTERVAL, c.syncPolicy());
        assertEquals(Duration.ofMillis(250), c.syncInterval());
        assertEquals("p#ss word", c.basicPassword());
        assertEquals(1000, c.writeMaxSamples());
        assertEquals(32 << 20, c.writeMaxDecodedBytes());
    }

    @Test
    void errorsNameTheLineAndOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse("listen: :1\nlisen: x\n", "t.yml"));
        assertTrue(e.getMessage().startsWith("t.yml:2: unknown option 'lisen'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse("\nstorage.sync_policy: sometimes\n", "t.yml"));
        assertTrue(e.getMessage().startsWith("t.yml:2: option 'storage.sync_policy' must be commit, interval or none"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse("http.threads: 0\n", "t.yml"));
        assertTrue(e.getMessage().startsWith("t.yml:1: option 'http.threads' must be a positive integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse("listen: a:1\nlisten: b:2\n", "t.yml"));
        assertTrue(e.getMessage().contains("t.yml:2: option 'listen' repeats line 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse("auth.basic.username: me\n", "t.yml"));
        assertTrue(e.getMessage().contains("must be set together"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.parse("just text\n", "t.yml"));
    }
}
