package dev.ledger.api.ssf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubjectFilterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SubjectFilter.Facts LEAF =
      new SubjectFilter.Facts(
          "acme",
          "tok-leaf",
          List.of("tok-root", "tok-mid", "tok-leaf"),
          "https://auth.example",
          "user:dana");

  private static boolean matches(String subject) throws Exception {
    return SubjectFilter.matches(JSON.readTree(subject), LEAF);
  }

  @Test
  void aTokenMatchesItselfAndEveryAncestor() throws Exception {
    assertThat(matches("{\"format\":\"opaque\",\"id\":\"tok-leaf\"}")).isTrue();
    assertThat(matches("{\"format\":\"opaque\",\"id\":\"tok-root\"}")).isTrue();
    assertThat(matches("{\"format\":\"opaque\",\"id\":\"tok-other\"}")).isFalse();
    assertThat(
            matches("{\"format\":\"jwt_id\",\"iss\":\"https://auth.example\",\"jti\":\"tok-mid\"}"))
        .isTrue();
    assertThat(
            matches(
                "{\"format\":\"jwt_id\",\"iss\":\"https://other.example\",\"jti\":\"tok-mid\"}"))
        .isFalse();
  }

  @Test
  void aComplexSubjectNeedsEveryMemberItHas() throws Exception {
    assertThat(
            matches("{\"format\":\"complex\",\"tenant\":{\"format\":\"opaque\",\"id\":\"acme\"}}"))
        .isTrue();
    assertThat(
            matches(
                "{\"format\":\"complex\",\"tenant\":{\"format\":\"opaque\",\"id\":\"acme\"},"
                    + "\"user\":{\"format\":\"opaque\",\"id\":\"user:eve\"}}"))
        .isFalse();
    assertThat(
            matches(
                "{\"format\":\"complex\",\"user\":{\"format\":\"opaque\",\"id\":\"user:dana\"},"
                    + "\"session\":{\"format\":\"opaque\",\"id\":\"tok-mid\"}}"))
        .isTrue();
    assertThat(matches("{\"format\":\"complex\"}")).isFalse();
    assertThat(matches("{\"format\":\"email\",\"email\":\"dana@example.com\"}")).isFalse();
  }
}
