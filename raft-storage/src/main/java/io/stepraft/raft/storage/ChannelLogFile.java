package io.stepraft.raft.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A {@link LogFile} over a {@link FileChannel}. */
final class ChannelLogFile implements LogFile {
  private final FileChannel channel;

  ChannelLogFile(FileChannel channel) {
    this.channel = channel;
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return channel.read(dst, position);
  }

  @Override
  public void write(ByteBuffer src, long position) throws IOException {
    long at = position;
    while (src.hasRemaining()) {
      at += channel.write(src, at);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code force(false)}: fdatasync on Linux, which also writes the file size when it changed
   * (the data could not be read back without it) but not the timestamps.
   */
  @Override
  public void force() throws IOException {
    channel.force(false);
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void truncate(long sizeBytes) throws IOException {
    channel.truncate(sizeBytes);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
