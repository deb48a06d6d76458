package io.stepraft.examples.kv;

import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLException;

/**
 * The TLS contexts of a node's two ports, built once at start; a certificate or key that does not
 * load stops the start with a message naming the flags.
 *
 * @param server the server side, or null for plain TCP
 * @param client the client side (peer links only), or null
 * @param allowedCn the common name the other side's certificate must carry, or null for any
 */
record Tls(SslContext server, SslContext client, String allowedCn) {
  static final Tls NONE = new Tls(null, null, null);

  static Tls forPeers(NodeSettings s) {
    TlsSettings t = s.peerTls();
    if (t == null) {
      return NONE;
    }
    try {
      return new Tls(t.serverContext(), t.clientContext(), t.allowedCn());
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--peer-cert/--peer-key/--peer-trusted-ca: " + e.getMessage(), e);
    }
  }

  static Tls forClients(NodeSettings s) {
    TlsSettings t = s.clientTls();
    if (t == null) {
      return NONE;
    }
    try {
      return new Tls(t.serverContext(), null, t.allowedCn());
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--client-cert/--client-key/--client-trusted-ca: " + e.getMessage(), e);
    }
  }
}
