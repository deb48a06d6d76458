package io.stepraft.examples.kv;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.stepraft.raft.pb.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One inbound peer connection: decodes each frame into a {@link Message} and checks it is for this
 * node and from a known peer. Anything else (garbage, a frame too long, a stranger) closes the
 * connection; the node goes on serving.
 */
final class PeerInboundHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(PeerInboundHandler.class);

  private final long selfId;
  private final PeerTransport transport;

  PeerInboundHandler(long selfId, PeerTransport transport) {
    this.selfId = selfId;
    this.transport = transport;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    Message m;
    try {
      m = Message.parseFrom(ByteBufUtil.getBytes(frame));
    } catch (InvalidProtocolBufferException e) {
      reject(ctx, "a frame that is not a raft message");
      return;
    }
    if (m.getTo() != selfId) {
      reject(ctx, "a message for node " + m.getTo());
      return;
    }
    if (m.getFrom() == selfId || !transport.isKnownPeer(m.getFrom())) {
      reject(ctx, "a message from unknown node " + m.getFrom());
      return;
    }
    transport.received(m);
  }

  private void reject(ChannelHandlerContext ctx, String what) {
    log.warn("closing peer connection from {}: {}", ctx.channel().remoteAddress(), what);
    ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn(
        "closing peer connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
