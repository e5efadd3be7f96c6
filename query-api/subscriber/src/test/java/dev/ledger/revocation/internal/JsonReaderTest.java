package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

  @Test
  void readsEveryKindOfValue() {
    Map<String, Object> m =
        JsonReader.parseObject(
            " {\"s\":\"x\", \"i\": -12, \"d\": 1.5e3, \"t\": true, \"f\": false, \"n\": null, \"a\": [1, \"b\", []], \"o\": {\"k\": {}}} ");
    assertThat(m)
        .containsEntry("s", "x")
        .containsEntry("i", -12L)
        .containsEntry("d", 1500.0)
        .containsEntry("t", true)
        .containsEntry("f", false)
        .containsEntry("n", null);
    assertThat(m.get("a")).isEqualTo(List.of(1L, "b", List.of()));
    assertThat(m.get("o")).isEqualTo(Map.of("k", Map.of()));
    assertThat(m.keySet()).containsExactly("s", "i", "d", "t", "f", "n", "a", "o");
  }

  @Test
  void decodesEveryEscapeIncludingSurrogatePairs() {
    Map<String, Object> m =
        JsonReader.parseObject(
            "{\"e\":\"q\\\"b\\\\s\\/n\\nr\\rt\\tb\\bf\\f\", \"u\":\"\\u00e9\\uD83D\\uDE00\", \"raw\":\"é😀/\"}");
    assertThat(m.get("e")).isEqualTo("q\"b\\s/n\nr\rt\tb\bf\f");
    assertThat(m.get("u")).isEqualTo("é😀");
    assertThat(m.get("raw")).isEqualTo("é😀/");
  }

  @Test
  void keepsLargeIntegersAsDoubles() {
    assertThat(JsonReader.parseObject("{\"big\": 123456789012345678901}").get("big"))
        .isEqualTo(1.2345678901234568E20);
    assertThat(JsonReader.parseObject("{\"ms\": 1767225600000}").get("ms"))
        .isEqualTo(1767225600000L);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "{\"a\":01}",
        "{\"a\":\"x}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":tru}",
        "{\"a\":1} x",
        "{'a':1}",
        "{\"a\":\"tab\there\"}",
        "{\"a\":-}",
        "{\"a\":1.}",
        "{\"a\":[1 2]}"
      })
  void rejectsMalformedInputWithItsOffset(String text) {
    assertThatThrownBy(() -> JsonReader.parseObject(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed JSON at offset");
  }

  @Test
  void refusesDeepNesting() {
    String deep = "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertThatThrownBy(() -> JsonReader.parseObject(deep))
        .hasMessageContaining("nested too deeply");
  }
}
