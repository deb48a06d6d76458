package io.stepraft.examples.kv;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * TLS for one port: this node's certificate and PKCS#8 private key (PEM), the CA that signs the
 * other side's certificates, and optionally the one common name those certificates must carry. With
 * a CA, TLS is mutual: the other side must present a certificate the CA signed.
 *
 * @param cert this node's certificate chain (PEM)
 * @param key its private key (PEM, PKCS#8)
 * @param trustedCa the CA certificates trusted for the other side (PEM), or null (clients only)
 * @param allowedCn the common name the other side's certificate must have, or null for any
 */
record TlsSettings(Path cert, Path key, Path trustedCa, String allowedCn) {

  /**
   * The settings of one port from its flags, or null when none is given.
   *
   * @param prefix {@code --peer} or {@code --client}, for messages
   * @param caRequired whether a CA is required (peer links are always mutual)
   * @throws IllegalArgumentException naming the flag that is missing or unreadable
   */
  static TlsSettings of(
      String prefix, Path cert, Path key, Path trustedCa, String allowedCn, boolean caRequired) {
    if (cert == null && key == null && trustedCa == null && allowedCn == null) {
      return null;
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException(prefix + "-cert and " + prefix + "-key go together");
    }
    if (trustedCa == null && (caRequired || allowedCn != null)) {
      throw new IllegalArgumentException(
          prefix
              + "-trusted-ca is required with "
              + (caRequired ? prefix + "-cert" : prefix + "-allowed-cn"));
    }
    for (Path p : new Path[] {cert, key, trustedCa}) {
      if (p != null && !Files.isReadable(p)) {
        throw new IllegalArgumentException(prefix + ": cannot read " + p);
      }
    }
    return new TlsSettings(cert, key, trustedCa, allowedCn);
  }

  /** The server side: our certificate; the other side's required when a CA is given. */
  SslContext serverContext() throws SSLException {
    SslContextBuilder b =
        SslContextBuilder.forServer(cert.toFile(), key.toFile()).sslProvider(SslProvider.JDK);
    if (trustedCa != null) {
      b.trustManager(trustedCa.toFile()).clientAuth(ClientAuth.REQUIRE);
    }
    return b.build();
  }

  /**
   * The client side (peer links): our certificate, the server's checked against the CA and, when
   * set, the allowed common name ({@link CommonNameCheck}), not against the host name: peers are
   * often addressed by IP.
   */
  SslContext clientContext() throws SSLException {
    return SslContextBuilder.forClient()
        .sslProvider(SslProvider.JDK)
        .endpointIdentificationAlgorithm(null)
        .keyManager(cert.toFile(), key.toFile())
        .trustManager(trustedCa.toFile())
        .build();
  }
}
