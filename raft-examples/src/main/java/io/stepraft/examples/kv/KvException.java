package io.stepraft.examples.kv;

/** A request that failed in an expected way, with the HTTP status that tells the client so. */
final class KvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final boolean notApplied;

  KvException(int status, String message) {
    this(status, message, false);
  }

  private KvException(int status, String message, boolean notApplied) {
    super(message, null, false, false);
    this.status = status;
    this.notApplied = notApplied;
  }

  int status() {
    return status;
  }

  /**
   * Whether the request certainly had no effect: it was refused before anything was proposed. A 503
   * without this flag (a timeout, a stop) leaves a write's outcome unknown.
   */
  boolean notApplied() {
    return notApplied || status / 100 == 4;
  }

  /** 503: the outcome is unknown (a write may still be applied). */
  static KvException unavailable(String message) {
    return new KvException(503, message);
  }

  /** 503: refused before anything was proposed; nothing will be applied. */
  static KvException refused(String message) {
    return new KvException(503, message, true);
  }

  static KvException badRequest(String message) {
    return new KvException(400, message);
  }
}
