package dev.ledger.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.ops.client.ApiClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Follows {@code next_cursor} through a paged list endpoint. */
final class Pager {

  private Pager() {}

  static void each(
      ApiClient api, String path, Map<String, String> query, int max, Consumer<JsonNode> sink) {
    Map<String, String> q = new LinkedHashMap<>(query);
    int seen = 0;
    String cursor = null;
    do {
      q.put("limit", String.valueOf(Math.min(1000, max - seen)));
      q.put("cursor", cursor);
      JsonNode page = api.get(path, q);
      for (JsonNode item : page.path("items")) {
        sink.accept(item);
        if (++seen >= max) {
          return;
        }
      }
      JsonNode next = page.path("next_cursor");
      cursor = next.isNull() || next.isMissingNode() ? null : next.asText();
    } while (cursor != null);
  }
}
