package dev.ledger.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

  /** The spinner {@link #markThenSpin} started. */
  private Thread running;

  @Test
  void groupsThreadsNamedAlikeAndNamesTheJitAndTheCollector() {
    assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("jit-compiler");
    assertThat(ThreadCpu.group("C1 CompilerThre")).isEqualTo("jit-compiler");
    assertThat(ThreadCpu.group("G1 Conc#0")).isEqualTo("gc-concurrent-mark");
    assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("gc");
    assertThat(ThreadCpu.group("data-plane-kafk")).isEqualTo("data-plane-kafk");
    assertThat(ThreadCpu.group("kafka-scheduler-12")).isEqualTo("kafka-scheduler-#");
  }

  @Test
  void findsTheThreadThatSpentTheCpu() throws Exception {
    ThreadCpu.Mark mark = markThenSpin("spinner-8");
    Map<String, Double> cores = mark.coresSince(0.0);
    double process = mark.processCoresSince();
    running.interrupt();
    running.join();
    assertThat(cores).containsKey("spinner-#");
    assertThat(cores.get("spinner-#")).isGreaterThan(0.2);
    assertThat(process).as("the whole process, the spinner included").isGreaterThan(0.2);
    assertThat(ThreadCpu.mark(Long.MAX_VALUE).tidNanos()).isEmpty();
  }

  @Test
  void countsWhatThreadsThatEndedMeanwhileSpentAsOneGroup() throws Exception {
    ThreadCpu.Mark mark = markThenSpin("short-lived");
    running.interrupt();
    running.join();
    Map<String, Double> cores = mark.coresSince(0.0);
    assertThat(cores).doesNotContainKey("short-lived");
    assertThat(cores.get(ThreadCpu.ENDED)).as("the ended spinner's CPU").isGreaterThan(0.2);
  }

  /** A mark of this process, then a thread named {@code name} spinning for 300 ms (and on). */
  private ThreadCpu.Mark markThenSpin(String name) throws InterruptedException {
    assumeThat(Files.exists(Path.of("/proc/self/task"))).isTrue();
    ThreadCpu.Mark mark = ThreadCpu.mark(ProcessHandle.current().pid());
    running = new Thread(() -> spinUntilInterrupted(), name);
    running.start();
    Thread.sleep(300);
    return mark;
  }

  private static void spinUntilInterrupted() {
    long x = 0;
    while (!Thread.currentThread().isInterrupted()) {
      x += Long.numberOfTrailingZeros(x + System.nanoTime());
    }
    if (x == 42) {
      System.out.print("");
    }
  }
}
