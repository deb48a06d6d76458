package io.stepraft.raft.storage;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * How {@link DurableStorage} lays out and syncs its files. Build one with {@link #builder()}; every
 * setting has a default.
 */
public final class StorageOptions {
  /** The smallest segment size accepted: 4 KiB. */
  public static final long SEGMENT_SIZE_BYTES_MIN = 4L << 10;

  /** The largest segment size accepted: 1 GiB. */
  public static final long SEGMENT_SIZE_BYTES_MAX = 1L << 30;

  private final long segmentSizeBytes;
  private final int snapshotsRetained;
  private final ByteString metadata;
  private final boolean syncEnabled;
  private final boolean preallocateInBackground;

  private StorageOptions(Builder b) {
    this.segmentSizeBytes = b.segmentSizeBytes;
    this.snapshotsRetained = b.snapshotsRetained;
    this.metadata = b.metadata;
    this.syncEnabled = b.syncEnabled;
    this.preallocateInBackground = b.preallocateInBackground;
  }

  /**
   * A builder holding the defaults: 64 MiB segments, 3 snapshots retained, empty metadata, sync
   * enabled, segments preallocated in the background.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The size each WAL segment is preallocated to; a segment is cut when the next write would not
   * fit.
   *
   * @return the size in bytes
   */
  public long segmentSizeBytes() {
    return segmentSizeBytes;
  }

  /**
   * How many snapshot files {@link DurableStorage#compact} keeps, newest first.
   *
   * @return the count, at least 1
   */
  public int snapshotsRetained() {
    return snapshotsRetained;
  }

  /**
   * The host's metadata (node id, cluster id, ...): written when the directory is created, checked
   * at every later open when non-empty.
   *
   * @return the metadata, empty when none was given
   */
  public ByteString metadata() {
    return metadata;
  }

  /**
   * Whether writes are fsync'd. Only tests and benchmarks turn it off: without it nothing survives
   * a power loss.
   *
   * @return true when fsync is on
   */
  public boolean syncEnabled() {
    return syncEnabled;
  }

  /**
   * Whether the next WAL segment is preallocated (zero-filled and fsync'd) ahead of time on a
   * daemon thread of the WAL, {@code stepraft-wal-prealloc}, rather than by the save that cuts it.
   * Either way a full disk fails the cut, never a record in the middle.
   *
   * @return true when preallocation runs in the background
   */
  public boolean preallocateInBackground() {
    return preallocateInBackground;
  }

  @Override
  public String toString() {
    return "StorageOptions{segmentSizeBytes="
        + segmentSizeBytes
        + ", snapshotsRetained="
        + snapshotsRetained
        + ", metadata="
        + metadata.size()
        + " bytes, syncEnabled="
        + syncEnabled
        + ", preallocateInBackground="
        + preallocateInBackground
        + "}";
  }

  /** Collects the settings of a {@link StorageOptions}; {@link #build()} checks them. */
  public static final class Builder {
    private long segmentSizeBytes = 64L << 20;
    private int snapshotsRetained = 3;
    private ByteString metadata = ByteString.EMPTY;
    private boolean syncEnabled = true;
    private boolean preallocateInBackground = true;

    private Builder() {}

    /**
     * Sets the size WAL segments are preallocated to (default 64 MiB).
     *
     * @param segmentSizeBytes between {@link #SEGMENT_SIZE_BYTES_MIN} and {@link
     *     #SEGMENT_SIZE_BYTES_MAX}, a multiple of 8
     * @return this builder
     */
    public Builder segmentSizeBytes(long segmentSizeBytes) {
      this.segmentSizeBytes = segmentSizeBytes;
      return this;
    }

    /**
     * Sets how many snapshot files are kept (default 3).
     *
     * @param snapshotsRetained at least 1
     * @return this builder
     */
    public Builder snapshotsRetained(int snapshotsRetained) {
      this.snapshotsRetained = snapshotsRetained;
      return this;
    }

    /**
     * Sets the host's metadata, written at creation and checked at every later open (default empty:
     * written empty, not checked).
     *
     * @param metadata opaque bytes, at most 1 MiB
     * @return this builder
     */
    public Builder metadata(ByteString metadata) {
      this.metadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    /**
     * Turns fsync on or off (default on). Off is for tests and benchmarks only.
     *
     * @param syncEnabled false to skip every fsync
     * @return this builder
     */
    public Builder syncEnabled(boolean syncEnabled) {
      this.syncEnabled = syncEnabled;
      return this;
    }

    /**
     * Sets whether WAL segments are preallocated in the background (default on). On, a daemon
     * thread of the WAL ({@code stepraft-wal-prealloc}) zero-fills and fsyncs the next segment's
     * file, {@code spare.tmp} in the WAL directory, while the current segment fills up, so the save
     * that cuts a segment only writes its header; the directory then holds one more segment-sized
     * file. If preparing it fails (a full disk), the cut fails and the WAL is fail-stopped, as with
     * inline preallocation. Off, the save that cuts a segment zero-fills it.
     *
     * @param preallocateInBackground false to preallocate on the saving thread, at the cut
     * @return this builder
     */
    public Builder preallocateInBackground(boolean preallocateInBackground) {
      this.preallocateInBackground = preallocateInBackground;
      return this;
    }

    /**
     * Checks the settings and builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException naming the first setting out of range and its value
     */
    public StorageOptions build() {
      if (segmentSizeBytes < SEGMENT_SIZE_BYTES_MIN
          || segmentSizeBytes > SEGMENT_SIZE_BYTES_MAX
          || segmentSizeBytes % 8 != 0) {
        throw new IllegalArgumentException(
            "segmentSizeBytes must be a multiple of 8 in ["
                + SEGMENT_SIZE_BYTES_MIN
                + ", "
                + SEGMENT_SIZE_BYTES_MAX
                + "], got "
                + segmentSizeBytes);
      }
      if (snapshotsRetained < 1) {
        throw new IllegalArgumentException(
            "snapshotsRetained must be at least 1, got " + snapshotsRetained);
      }
      if (metadata.size() > Frame.METADATA_BYTES_MAX) {
        throw new IllegalArgumentException(
            "metadata must be at most "
                + Frame.METADATA_BYTES_MAX
                + " bytes, got "
                + metadata.size());
      }
      return new StorageOptions(this);
    }
  }
}
