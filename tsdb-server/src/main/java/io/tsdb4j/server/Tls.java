package io.tsdb4j.server;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the server's {@link SSLContext} from a key store ({@code tls.keystore}, PKCS12 or JKS) or from PEM files
 * ({@code tls.cert_file}: the certificate chain, leaf first; {@code tls.key_file}: an unencrypted PKCS#8 key,
 * {@code -----BEGIN PRIVATE KEY-----}, RSA or EC).
 */
final class Tls {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private Tls() {}

    static SSLContext context(ServerConfig cfg) throws IOException, GeneralSecurityException {
        KeyStore ks;
        char[] password;
        if (!cfg.tlsKeystore().isEmpty()) {
            password = cfg.tlsKeystorePassword().toCharArray();
            ks = KeyStore.getInstance(cfg.tlsKeystoreType());
            try (InputStream in = Files.newInputStream(Path.of(cfg.tlsKeystore()))) {
                ks.load(in, password);
            } catch (IOException e) {
                throw new IOException("cannot load TLS key store " + cfg.tlsKeystore() + " (" + cfg.tlsKeystoreType() + "): " + e.getMessage(), e);
            }
        } else {
            password = new char[0];
            ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            List<Certificate> chain = new ArrayList<>();
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (byte[] der : pemBlocks(Path.of(cfg.tlsCertFile()), "CERTIFICATE")) {
                chain.add(cf.generateCertificate(new java.io.ByteArrayInputStream(der)));
            }
            List<byte[]> keys = pemBlocks(Path.of(cfg.tlsKeyFile()), "PRIVATE KEY");
            if (chain.isEmpty()) throw new IOException("no CERTIFICATE block in tls.cert_file " + cfg.tlsCertFile());
            if (keys.size() != 1) {
                throw new IOException("tls.key_file " + cfg.tlsKeyFile() + " must hold exactly one unencrypted PKCS#8 'PRIVATE KEY' block (convert with: openssl pkcs8 -topk8 -nocrypt)");
            }
            PrivateKey key = null;
            for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
                try {
                    key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(keys.get(0)));
                    break;
                } catch (GeneralSecurityException tryNext) {
                    // not this algorithm
                }
            }
            if (key == null) throw new IOException("tls.key_file " + cfg.tlsKeyFile() + ": not an RSA, EC or Ed25519 PKCS#8 key");
            ks.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static List<byte[]> pemBlocks(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<byte[]> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) out.add(Base64.getMimeDecoder().decode(m.group(2)));
        }
        return out;
    }
}
