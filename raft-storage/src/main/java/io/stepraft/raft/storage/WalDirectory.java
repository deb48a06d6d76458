package io.stepraft.raft.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lists a WAL directory's segments, checks that none is missing, and clears temporary files. */
final class WalDirectory {
  static final String TMP_SUFFIX = ".tmp";
  private static final Logger LOG = LoggerFactory.getLogger(WalDirectory.class);

  private WalDirectory() {}

  /**
   * The segments in {@code dir}, in order, after deleting leftover temporary files (a segment being
   * created, or the spare {@link SparePreallocator} was preparing, when the process stopped).
   *
   * @throws CorruptWalException if a {@code .wal} file has a malformed name or a sequence number is
   *     missing
   */
  static List<SegmentName> segments(Path dir, FileIo io) throws IOException {
    List<SegmentName> names = new ArrayList<>();
    for (Path p : io.list(dir)) {
      String file = p.getFileName().toString();
      if (file.endsWith(TMP_SUFFIX)) {
        LOG.info("deleting {}, a file left by an interrupted write", p);
        io.delete(p);
        continue;
      }
      if (!file.endsWith(SegmentName.SUFFIX)) {
        continue;
      }
      SegmentName name = SegmentName.parse(file);
      if (name == null) {
        throw new CorruptWalException(p, -1, "not a valid segment name (%016x-%016x.wal)");
      }
      names.add(name);
    }
    names.sort(Comparator.comparingLong(SegmentName::seq));
    for (int i = 1; i < names.size(); i++) {
      long prev = names.get(i - 1).seq();
      long seq = names.get(i).seq();
      if (seq != prev + 1) {
        throw new CorruptWalException(
            dir.resolve(names.get(i).fileName()),
            -1,
            "segment " + (prev + 1) + " is missing: segment " + seq + " follows segment " + prev);
      }
    }
    return names;
  }
}
