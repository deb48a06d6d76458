package io.stepraft.examples.kv;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the address forms of the command line: {@code host:port} and the {@code --peers} list. */
final class Addresses {
  private Addresses() {}

  /**
   * Parses {@code host:port}.
   *
   * @throws IllegalArgumentException with a message naming {@code what} when malformed
   */
  static InetSocketAddress parse(String what, String text) {
    String s = text == null ? "" : text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException(what + ": expected host:port, got '" + text + "'");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": port is not a number in '" + text + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + ": port must be in [1, 65535] in '" + text + "'");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** Parses {@code 1=host:port,2=host:port,...}; ids positive and unique. */
  static Map<Long, InetSocketAddress> parsePeers(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("--peers: expected id=host:port[,id=host:port...]");
    }
    Map<Long, InetSocketAddress> peers = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--peers: expected id=host:port, got '" + part + "'");
      }
      long id;
      try {
        id = Long.parseLong(part.substring(0, eq).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--peers: id is not a number in '" + part + "'");
      }
      if (id <= 0) {
        throw new IllegalArgumentException("--peers: ids must be positive, got '" + part + "'");
      }
      if (peers.put(id, parse("--peers", part.substring(eq + 1))) != null) {
        throw new IllegalArgumentException("--peers: id " + id + " appears twice");
      }
    }
    return peers;
  }

  /** {@code host:port}, the form peers advertise in configuration changes. */
  static String format(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }
}
