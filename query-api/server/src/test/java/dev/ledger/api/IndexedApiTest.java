package dev.ledger.api;

import dev.ledger.index.LedgerIndex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the read-side tests: one server per test class over a real Lucene index, with every test
 * credential and no broker. Subclasses fill the index through its own write methods (reads see
 * writes once they are searchable).
 */
abstract class IndexedApiTest {
  @TempDir static Path dir;
  static TestApi.Keys keys;
  static LedgerIndex index;
  static TestApi api;

  @BeforeAll
  static void startServer() throws Exception {
    keys = TestApi.Keys.create(dir);
    index = LedgerIndex.open(dir.resolve("index"));
    api = TestApi.start(new ApiContext(keys.store(), null, index, null, List.of(), null));
  }

  @AfterAll
  static void stopServer() {
    api.close();
    index.close();
  }
}
