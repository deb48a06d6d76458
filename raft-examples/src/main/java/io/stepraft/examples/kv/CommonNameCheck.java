package io.stepraft.examples.kv;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the TLS handshake, closes the connection unless the other side's certificate has the
 * allowed common name (when one is configured). A failed handshake closes it too.
 */
final class CommonNameCheck extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(CommonNameCheck.class);

  private final String allowedCn;

  CommonNameCheck(String allowedCn) {
    this.allowedCn = allowedCn;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (!done.isSuccess()) {
        log.warn(
            "TLS handshake with {} failed: {}",
            ctx.channel().remoteAddress(),
            done.cause().toString());
        ctx.close();
        return;
      }
      String cn = peerCommonName(ctx);
      if (allowedCn != null && !allowedCn.equals(cn)) {
        log.warn(
            "closing TLS connection with {}: certificate CN '{}' is not the allowed '{}'",
            ctx.channel().remoteAddress(),
            cn,
            allowedCn);
        ctx.close();
        return;
      }
    }
    super.userEventTriggered(ctx, evt);
  }

  private static String peerCommonName(ChannelHandlerContext ctx) {
    try {
      Certificate[] chain =
          ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate x)) {
        return null;
      }
      for (Rdn rdn : new LdapName(x.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
      return null;
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      return null;
    }
  }
}
