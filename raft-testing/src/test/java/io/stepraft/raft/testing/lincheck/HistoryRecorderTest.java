package io.stepraft.raft.testing.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Recording from concurrent threads. */
class HistoryRecorderTest {
  private static final int THREADS = 4;
  private static final int OPS_PER_THREAD = 500;

  @Test
  void threadsRunningAnAtomicRegisterRecordALinearizableHistory() throws Exception {
    var recorder = new HistoryRecorder<RegisterModel.Input<Integer>, Reply<Integer>>();
    AtomicInteger register = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int client = t;
      threads.add(new Thread(() -> runClient(client, recorder, register, failed, start)));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }

    var history = recorder.history();
    assertEquals(THREADS * OPS_PER_THREAD - failed.get(), history.size());
    var result =
        LinearizabilityChecker.check(
            RegisterModel.startingAt(0), history, Budget.steps(100_000_000));
    result.assertLinearizable();
  }

  /** Each thread reads, writes its own values, and tries compare-and-sets; a failed cas fails. */
  private static void runClient(
      int client,
      HistoryRecorder<RegisterModel.Input<Integer>, Reply<Integer>> recorder,
      AtomicInteger register,
      AtomicInteger failed,
      CyclicBarrier start) {
    SplittableRandom random = new SplittableRandom(client);
    try {
      start.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < OPS_PER_THREAD; i++) {
      int value = client * OPS_PER_THREAD + i;
      switch (random.nextInt(3)) {
        case 0:
          var read = recorder.invoke(client, RegisterModel.read());
          read.ok(Reply.found(register.get()));
          break;
        case 1:
          var write = recorder.invoke(client, RegisterModel.write(value));
          register.set(value);
          write.ok(Reply.ok());
          break;
        default:
          int expected = register.get();
          var cas = recorder.invoke(client, RegisterModel.cas(expected, value));
          if (register.compareAndSet(expected, value)) {
            cas.ok(Reply.ok());
          } else {
            cas.fail(); // it did not take effect: left out of the history
            failed.incrementAndGet();
          }
      }
    }
  }

  @Test
  void callsInFlightCountAsTimedOutAndRecordingGoesOn() {
    var recorder = new HistoryRecorder<KvModel.Input<String, Integer>, Reply<Integer>>();
    var call = recorder.invoke(1, KvModel.put("x", 1));
    assertFalse(recorder.history().operations().get(0).outcomeKnown());
    call.ok(Reply.ok());
    assertEquals(
        new Operation<>(1, KvModel.put("x", 1), Reply.ok(), 0, 1),
        recorder.history().operations().get(0));
  }

  @Test
  void aCallCompletesOnceAndAClientRunsOneCallAtATime() {
    var recorder = new HistoryRecorder<KvModel.Input<String, Integer>, Reply<Integer>>();
    var call = recorder.invoke(1, KvModel.put("x", 1));
    assertThrows(IllegalStateException.class, () -> recorder.invoke(1, KvModel.get("x")));
    call.timeout();
    assertThrows(IllegalStateException.class, () -> call.ok(Reply.ok()));
    var next = recorder.invoke(1, KvModel.get("x"));
    assertThrows(IllegalStateException.class, call::fail); // never completes the client's next call
    next.ok(Reply.found(1));
    assertEquals(2, recorder.history().size());
  }

  @Test
  void timesComeFromTheGivenClock() {
    long[] now = {100};
    var recorder =
        new HistoryRecorder<KvModel.Input<String, Integer>, Reply<Integer>>(() -> now[0]++);
    recorder.invoke(1, KvModel.get("x")).ok(Reply.absent());
    assertEquals(
        new Operation<>(1, KvModel.get("x"), Reply.absent(), 100, 101),
        recorder.history().operations().get(0));
  }
}
