package dev.ledger.api.ssf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReceiverValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void withoutDeliveryAStreamIsPolled() throws Exception {
    ReceiverValues v = ReceiverValues.parse(json("{}"), null).values();
    assertThat(v.method()).isEqualTo(SetEvents.POLL);
    assertThat(v.eventsRequested()).isNull();
  }

  @Test
  void everyProblemIsNamedAtOnce() throws Exception {
    ReceiverValues.Parsed p =
        ReceiverValues.parse(
            json(
                "{\"delivery\":{\"method\":\"urn:ietf:rfc:8935\",\"endpoint_url\":\"ftp://x\"},"
                    + "\"events_requested\":\"all\",\"description\":5}"),
            null);
    assertThat(p.values()).isNull();
    assertThat(p.problems())
        .containsOnlyKeys("delivery.endpoint_url", "events_requested", "description");
    assertThat(
            ReceiverValues.parse(json("{\"delivery\":{\"method\":\"urn:example:pigeon\"}}"), null)
                .problems())
        .containsOnlyKeys("delivery.method");
  }

  @Test
  void aPatchKeepsWhatItDoesNotNameAndAPutResetsIt() throws Exception {
    ReceiverValues base =
        ReceiverValues.parse(
                json(
                    "{\"delivery\":{\"method\":\"urn:ietf:rfc:8935\","
                        + "\"endpoint_url\":\"https://rx.example/events\",\"authorization_header\":\"Bearer x\"},"
                        + "\"description\":\"d\"}"),
                null)
            .values();
    ReceiverValues patched =
        ReceiverValues.parse(
                json("{\"events_requested\":[\"" + SetEvents.CREDENTIAL_CHANGE + "\"]}"), base)
            .values();
    assertThat(patched.endpointUrl()).isEqualTo("https://rx.example/events");
    assertThat(patched.authorizationHeader()).isEqualTo("Bearer x");
    assertThat(patched.description()).isEqualTo("d");
    ReceiverValues replaced = ReceiverValues.parse(json("{}"), null).values();
    assertThat(replaced.method()).isEqualTo(SetEvents.POLL);
    assertThat(replaced.description()).isNull();

    StreamConfig stream =
        StreamConfig.created("s", "acme", "k", Instant.EPOCH).withReceiverValues(patched);
    assertThat(stream.eventsDelivered()).containsExactly(SetEvents.CREDENTIAL_CHANGE);
    assertThat(StreamConfig.fromStored(stream.toStored())).isEqualTo(stream);
    assertThat(
            stream
                .toWire("https://l", "https://l/poll")
                .get("delivery")
                .get("endpoint_url")
                .asText())
        .isEqualTo("https://rx.example/events");
  }
}
