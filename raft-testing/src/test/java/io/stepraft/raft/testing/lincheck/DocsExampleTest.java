package io.stepraft.raft.testing.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepraft.raft.testing.DocPage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The examples of the "Linearizability checker" section of docs/testing.md, compiled and run. The
 * code between each pair of {@code docs:begin} / {@code docs:end} markers must be, without its
 * indentation, the section's {@code java} blocks in order, and the report it prints must be the
 * section's {@code text} block; the test fails when page and code drift apart.
 */
class DocsExampleTest {
  private static final String SECTION = "## Linearizability checker";
  private static final int CLIENTS = 3;
  private static final int REQUESTS = 50;

  /** A store under test that times out on every fifth write, after applying it. */
  private static final class Store {
    private final Map<String, String> data = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();

    void put(String key, String value) throws TimeoutException {
      data.put(key, value);
      if (writes.incrementAndGet() % 5 == 0) {
        throw new TimeoutException();
      }
    }

    String get(String key) {
      return data.get(key);
    }
  }

  @Test
  void concurrentClientsRecordAHistoryThatIsChecked() throws InterruptedException {
    Store store = new Store();
    // docs:begin
    HistoryRecorder<KvModel.Input<String, String>, Reply<String>> recorder =
        new HistoryRecorder<>();
    // docs:end
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      long clientId = c;
      clients.add(
          new Thread(
              () -> {
                for (int i = 0; i < REQUESTS; i++) {
                  String value = clientId + "-" + i;
                  // docs:begin
                  var call = recorder.invoke(clientId, KvModel.put("x", value));
                  try {
                    store.put("x", value);
                    call.ok(Reply.ok());
                  } catch (TimeoutException e) {
                    call.timeout(); // it may or may not have taken effect
                  }
                  var read = recorder.invoke(clientId, KvModel.get("x"));
                  String found = store.get("x");
                  read.ok(found == null ? Reply.absent() : Reply.found(found));
                  // docs:end
                }
              }));
    }
    clients.forEach(Thread::start);
    for (Thread client : clients) {
      client.join();
    }
    // docs:begin
    LinearizabilityChecker.check(KvModel.empty(), recorder.history(), Budget.steps(10_000_000))
        .assertLinearizable(); // fails with the report on NOT_LINEARIZABLE or UNKNOWN
    // docs:end
  }

  @Test
  void aStaleReadIsReportedWithTheWriteItMissed() throws IOException {
    // docs:begin
    History<KvModel.Input<String, Integer>, Reply<Integer>> history =
        History.<KvModel.Input<String, Integer>, Reply<Integer>>builder()
            .invoke(1, KvModel.put("x", 1), 0)
            .ok(1, Reply.ok(), 10)
            .invoke(2, KvModel.put("x", 2), 20)
            .ok(2, Reply.ok(), 30)
            .invoke(3, KvModel.get("x"), 40)
            .ok(3, Reply.found(1), 50) // stale: put(x, 2) had returned
            .invoke(1, KvModel.put("y", 7), 45)
            .fail(1, 55) // did not take effect: left out
            .build();
    var result = LinearizabilityChecker.check(KvModel.empty(), history, Budget.unlimited());
    String report = result.report();
    // docs:end
    assertEquals(CheckResult.Outcome.NOT_LINEARIZABLE, result.outcome());
    assertEquals(DocPage.blocks(DocPage.section(SECTION), "```text\n").get(0), report);
  }

  @Test
  void thePageShowsThisCode() {
    DocPage.assertSectionShowsCodeOf(SECTION, DocsExampleTest.class);
  }
}
