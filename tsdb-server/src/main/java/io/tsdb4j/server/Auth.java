package io.tsdb4j.server;

import com.sun.net.httpserver.HttpExchange;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Optional HTTP authentication: basic auth and/or a bearer token; when both are configured either is accepted.
 * Secrets are compared through SHA-256 digests with {@link MessageDigest#isEqual}, so neither the content nor the
 * length of a secret leaks through timing. Thread-safe.
 */
final class Auth {
    private final byte[] basic;
    private final byte[] bearer;

    Auth(ServerConfig cfg) {
        this.basic = cfg.basicUsername().isEmpty() ? null : sha256(cfg.basicUsername() + ":" + cfg.basicPassword());
        this.bearer = cfg.bearerToken().isEmpty() ? null : sha256(cfg.bearerToken());
    }

    boolean enabled() {
        return basic != null || bearer != null;
    }

    /** Whether the request carries valid credentials (always true when auth is off). */
    boolean allows(HttpExchange ex) {
        if (!enabled()) return true;
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null) return false;
        int sp = h.indexOf(' ');
        if (sp < 0) return false;
        String scheme = h.substring(0, sp);
        String cred = h.substring(sp + 1).strip();
        if (basic != null && scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(cred), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(sha256(decoded), basic);
        }
        if (bearer != null && scheme.equalsIgnoreCase("Bearer")) {
            return MessageDigest.isEqual(sha256(cred), bearer);
        }
        return false;
    }

    /** The {@code WWW-Authenticate} challenge to send with a 401. */
    String challenge() {
        return basic != null ? "Basic realm=\"tsdb4j\", charset=\"UTF-8\"" : "Bearer realm=\"tsdb4j\"";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
