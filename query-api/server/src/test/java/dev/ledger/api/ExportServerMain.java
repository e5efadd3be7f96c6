package dev.ledger.api;

import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.export.Exporter;
import dev.ledger.export.sign.NotaryKey;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;

/**
 * The API server alone, serving exports of an integrity log, for {@link ExportStreamingTest} to run
 * in a child JVM with a heap far smaller than the export: the heap it measures is then the
 * server's, not the test's (which also holds the log it wrote and its own client).
 *
 * <p>Arguments: the integrity log's directory, the keys file, the notary key's directory. Prints
 * {@code port=<port>} once serving; when its standard input ends, prints {@code max_heap_mb} and
 * {@code peak_heap_mb} and exits 0.
 */
final class ExportServerMain {

  private ExportServerMain() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    ApiContext context =
        new ApiContext(
            ApiKeyStore.open(Path.of(args[1])),
            null,
            null,
            null,
            List.of(),
            null,
            new Exporter(root),
            NotaryKey.loadOrCreate(Path.of(args[2])).publicKey());
    try (ApiServer server =
        ApiServer.start(ApiSettings.builder().host("127.0.0.1").port(0).build(), context)) {
      System.out.println("port=" + server.port());
      System.out.flush();
      // The parent closes our standard input when it is done with us.
      System.in.transferTo(OutputStream.nullOutputStream());
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("max_heap_mb=" + (Runtime.getRuntime().maxMemory() >> 20));
    System.out.println("peak_heap_mb=" + (peak >> 20));
  }
}
