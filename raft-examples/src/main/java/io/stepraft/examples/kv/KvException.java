package io.stepraft.examples.kv;

/** A request that failed in an expected way, with the HTTP status that tells the client so. */
final class KvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  KvException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static KvException unavailable(String message) {
    return new KvException(503, message);
  }

  static KvException badRequest(String message) {
    return new KvException(400, message);
  }
}
