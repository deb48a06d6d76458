package io.stepraft.raft.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the WAL's next segment file ahead of time on one daemon thread ({@value #THREAD_NAME}):
 * {@value #SPARE_NAME} in the WAL directory, zero-filled to the segment size and fsync'd, so that a
 * cut only writes the header, fsyncs, renames and fsyncs the directory.
 *
 * <p>At most one spare exists at a time. A failure to prepare it (a full disk) is kept and thrown
 * by {@link #take}, at the cut that needs the spare, never before and never retried. Not
 * thread-safe: the WAL calls it under its write lock.
 */
final class SparePreallocator implements AutoCloseable {
  static final String THREAD_NAME = "stepraft-wal-prealloc";
  static final String SPARE_NAME = "spare" + WalDirectory.TMP_SUFFIX;

  /** How long {@link #close} waits for a preparation in progress to stop. */
  private static final long CLOSE_WAIT_MS_MAX = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(SparePreallocator.class);

  private final FileIo io;
  private final Path spare;
  private final long sizeBytes;
  private final boolean sync;
  private final ExecutorService thread;
  private volatile boolean stopping;
  // The preparation started last and not yet taken, or null.
  private Future<LogFile> pending;

  SparePreallocator(FileIo io, Path dir, long sizeBytes, boolean sync) {
    this.io = io;
    this.spare = dir.resolve(SPARE_NAME);
    this.sizeBytes = sizeBytes;
    this.sync = sync;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, THREAD_NAME);
              t.setDaemon(true);
              return t;
            });
  }

  /** The spare's path, which {@link #take}'s file has until it is renamed. */
  Path path() {
    return spare;
  }

  /** Starts preparing the spare. There must be none pending. */
  void start() {
    if (pending != null) {
      throw new IllegalStateException("a spare segment is already being prepared in " + spare);
    }
    pending =
        thread.submit(() -> SegmentCreator.preallocate(io, spare, sizeBytes, sync, () -> stopping));
  }

  /**
   * Waits for the spare started last and hands it over, open for writing, at {@link #path()}.
   *
   * @throws IOException the error that preparing it met
   */
  LogFile take() throws IOException {
    if (pending == null) {
      throw new IllegalStateException("no spare segment is being prepared in " + spare);
    }
    Future<LogFile> f = pending;
    pending = null;
    return await(f);
  }

  /**
   * Stops the thread, waiting at most {@value #CLOSE_WAIT_MS_MAX} ms for a preparation in progress,
   * and deletes a spare that was not taken (a leftover is deleted at the next open anyway).
   */
  @Override
  public void close() {
    stopping = true;
    thread.shutdown();
    Future<LogFile> f = pending;
    pending = null;
    boolean interrupted = false;
    try {
      if (!thread.awaitTermination(CLOSE_WAIT_MS_MAX, TimeUnit.MILLISECONDS)) {
        LOG.warn("preparing {} did not stop within {} ms", spare, CLOSE_WAIT_MS_MAX);
        return;
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    try {
      if (f != null && f.isDone()) {
        try {
          await(f).close();
        } catch (IOException ignored) {
          // Failed or stopped: nothing open, nothing to close.
        }
      }
      io.delete(spare);
    } catch (IOException e) {
      LOG.warn("deleting the unused spare segment {} failed: {}", spare, e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The spare or the IOException that preparing it met; waits without giving up on interrupts. */
  private static LogFile await(Future<LogFile> f) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IOException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
