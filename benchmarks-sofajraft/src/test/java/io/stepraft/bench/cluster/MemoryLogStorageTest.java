package io.stepraft.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.alipay.sofa.jraft.entity.EnumOutter.EntryType;
import com.alipay.sofa.jraft.entity.LogEntry;
import com.alipay.sofa.jraft.entity.LogId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory log against a list of what it should hold, across growth and truncations. */
class MemoryLogStorageTest {
  private final MemoryLogStorage log = new MemoryLogStorage();

  @Test
  void aNewLogIsEmptyFromIndexOne() {
    assertEquals(1, log.getFirstLogIndex());
    assertEquals(0, log.getLastLogIndex());
    assertNull(log.getEntry(1));
  }

  @Test
  void keepsItsEntriesAcrossGrowthAndTruncations() {
    List<LogEntry> model = new ArrayList<>();
    long first = 1;
    for (long index = 1; index <= 5000; index++) {
      LogEntry e = entry(index, index / 100 + 1);
      assertEquals(1, log.appendEntries(List.of(e)));
      model.add(e);
      if (index % 700 == 0) { // drop 300 from the front, as a snapshot does
        log.truncatePrefix(first + 300);
        model.subList(0, 300).clear();
        first += 300;
      }
      if (index % 900 == 0) { // drop the last 10, as a conflicting leader does, and rewrite them
        log.truncateSuffix(index - 10);
        model.subList(model.size() - 10, model.size()).clear();
        for (long again = index - 9; again <= index; again++) {
          LogEntry r = entry(again, 99);
          log.appendEntry(r);
          model.add(r);
        }
      }
    }
    assertEquals(first, log.getFirstLogIndex());
    assertEquals(5000, log.getLastLogIndex());
    assertNull(log.getEntry(first - 1));
    assertNull(log.getEntry(5001));
    for (int i = 0; i < model.size(); i++) {
      assertEquals(model.get(i), log.getEntry(first + i), "index " + (first + i));
    }
  }

  @Test
  void aPrefixBeyondTheLastEntryEmptiesItAndMovesItsStart() {
    log.appendEntries(List.of(entry(1, 1), entry(2, 1)));
    log.truncatePrefix(10);
    assertEquals(10, log.getFirstLogIndex());
    assertEquals(9, log.getLastLogIndex());
    log.appendEntry(entry(10, 2));
    assertEquals(2, log.getEntry(10).getId().getTerm());
  }

  @Test
  void resetDropsEverythingAndStartsAtTheNextIndex() {
    log.appendEntries(List.of(entry(1, 1), entry(2, 1)));
    log.reset(50);
    assertNull(log.getEntry(1));
    assertEquals(50, log.getFirstLogIndex());
    assertEquals(49, log.getLastLogIndex());
  }

  @Test
  void refusesAGap() {
    log.appendEntry(entry(1, 1));
    assertThrows(IllegalStateException.class, () -> log.appendEntry(entry(3, 1)));
  }

  private static LogEntry entry(long index, long term) {
    LogEntry e = new LogEntry(EntryType.ENTRY_TYPE_DATA);
    e.setId(new LogId(index, term));
    return e;
  }
}
