package dev.ledger.index.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

class AdaptiveReopenerTest {

  @Test
  void theIntervalGrowsWithTheWriteRateWithinItsBounds() {
    long min = Duration.ofMillis(25).toNanos();
    long max = Duration.ofMillis(500).toNanos();
    long second = Duration.ofSeconds(1).toNanos();
    assertThat(AdaptiveReopener.next(0, second, min, max)).as("idle").isEqualTo(min);
    assertThat(AdaptiveReopener.next(100, Duration.ofMillis(100).toNanos(), min, max))
        .as("1,000 writes/s")
        .isEqualTo(Duration.ofMillis(125).toNanos());
    assertThat(AdaptiveReopener.next(1_500, Duration.ofMillis(500).toNanos(), min, max))
        .as("3,000 writes/s")
        .isEqualTo(Duration.ofMillis(325).toNanos());
    assertThat(AdaptiveReopener.next(5_000, Duration.ofMillis(500).toNanos(), min, max))
        .as("10,000 writes/s")
        .isEqualTo(max);
    assertThat(AdaptiveReopener.next(50_000, second, min, max)).as("busy").isEqualTo(max);
  }

  @Test
  void aWaiterDoesNotWaitForTheSchedule() throws Exception {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig());
        SearcherManager searchers = new SearcherManager(writer, null);
        AdaptiveReopener reopener =
            new AdaptiveReopener(
                writer, searchers, Duration.ofMinutes(10), Duration.ofMinutes(10), "test-reopen")) {
      Document d = new Document();
      d.add(new StringField("f", "v", Field.Store.NO));
      long gen = writer.addDocument(d);
      long start = System.nanoTime();
      assertThat(reopener.waitForGeneration(gen, 10_000)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      IndexSearcher s = searchers.acquire();
      try {
        assertThat(s.count(MatchAllDocsQuery.INSTANCE)).isEqualTo(1);
      } finally {
        searchers.release(s);
      }
    }
  }

  /**
   * A write error closes the writer under the reopen thread (a full disk): the thread reports a
   * failed reopen and goes on until closed, rather than dying on the closed writer with an uncaught
   * exception, and a waiter is answered at once.
   */
  @Test
  void aWriterClosedUnderItIsAFailedReopenNotADeadThread() throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig());
      SearcherManager searchers = new SearcherManager(writer, null);
      AdaptiveReopener reopener =
          new AdaptiveReopener(
              writer, searchers, Duration.ofMillis(5), Duration.ofMillis(5), "test-reopen-closed");
      try {
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("test-reopen-closed"))
            .forEach(t -> t.setUncaughtExceptionHandler((th, e) -> uncaught.add(e)));
        writer.rollback();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (reopener.failure() == null && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertThat(reopener.failure()).isInstanceOf(AlreadyClosedException.class);
        assertThat(reopener.waitForGeneration(Long.MAX_VALUE, 10_000)).isFalse();
        assertThat(uncaught).isEmpty();
      } finally {
        reopener.close();
        searchers.close();
      }
    }
  }
}
