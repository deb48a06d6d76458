package io.stepraft.raft.testing.sim;

/**
 * The application under test threw: a bug in it (or in the test), not in raft. It ends the run as a
 * {@link Check#HOST_EXCEPTION} violation with the seed and the replay command.
 */
final class ApplicationFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ApplicationFailure(String what, RuntimeException cause) {
    super("the application threw in " + what + ": " + cause, cause);
  }
}
