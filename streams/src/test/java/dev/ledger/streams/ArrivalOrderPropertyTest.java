package dev.ledger.streams;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Driver;
import dev.ledger.streams.testing.Events;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Property: the same events in any arrival order (shuffled, reversed = leaf-first, latest uses
 * first, revocations last) end in the same TokenNodes, one audit record per event, the same verdict
 * on every use read from the audit records with their amendments applied, and the same alerts,
 * which agree with those verdicts (no flagged use without its alert, no alert without the flag).
 * Random forests with escalations, lifetime extensions, expiries, allowed and denied uses by
 * holders and strangers, and revocations at random event times, and budgets (max_uses) small enough
 * to be exceeded; seeded, the seed is printed on failure.
 */
class ArrivalOrderPropertyTest {

  private static final long SEED = Long.getLong("ledger.seed", 20261123L);
  private static final int FORESTS = 24;
  private static final int ORDERS = 8;
  private static final List<String> SCOPES = List.of("a", "b", "c", "d", "e");
  private static final List<String> AUDIENCE = List.of("x", "y", "z");

  @Test
  void everyArrivalOrderEndsInTheSameTokens() {
    Random random = new Random(SEED);
    long flaggedUses = 0;
    long amendments = 0;
    try (Driver driver = new Driver()) {
      for (int f = 0; f < FORESTS; f++) {
        List<LedgerEvent> events = forest(random, "f" + f);
        Map<String, String> expected = null;
        Map<String, Set<String>> expectedVerdicts = null;
        for (int o = 0; o < ORDERS; o++) {
          String tenant = "f" + f + "-o" + o;
          List<LedgerEvent> order = order(events, o, random);
          List<LedgerEvent> inTenant = order.stream().map(e -> Events.inTenant(e, tenant)).toList();
          // Even orders flush the pending uses once at the end, odd ones also halfway: when uses
          // are counted must not change what they end in (re-judged from either store).
          int half = o % 2 == 0 ? inTenant.size() : inTenant.size() / 2;
          driver
              .send(inTenant.subList(0, half))
              .flushUses()
              .send(inTenant.subList(half, inTenant.size()))
              .flushUses();
          Map<String, String> actual = tokensOf(driver, tenant);
          String context = "seed " + SEED + ", forest " + f + ", order " + o;
          assertThat(actual)
              .as(context)
              .hasSize((int) events.stream().filter(e -> e.getToken() != null).count());
          assertThat(actual.values())
              .as(context)
              .noneMatch(s -> s.contains("\"status\": \"pending\""));
          List<String> audited =
              driver.audit.stream()
                  .filter(a -> a.getTenant().equals(tenant))
                  .map(AuditRecord::getEventId)
                  .sorted()
                  .toList();
          assertThat(audited)
              .as(context + ": one audit record per event")
              .isEqualTo(events.stream().map(LedgerEvent::getEventId).sorted().toList());
          Map<String, Set<String>> verdicts = verdicts(driver, tenant);
          Map<String, Set<String>> alerted = alerts(driver, tenant);
          assertThat(alerted)
              .as(context + ": alerts agree with the audit trail")
              .isEqualTo(verdicts);
          if (expected == null) {
            expected = actual;
            expectedVerdicts = verdicts;
          } else {
            assertThat(actual).as(context).isEqualTo(expected);
            assertThat(verdicts)
                .as(context + ": flagged events per violation kind")
                .isEqualTo(expectedVerdicts);
          }
          flaggedUses += verdicts.values().stream().mapToInt(Set::size).sum();
        }
      }
      amendments = driver.amendments.size();
    }
    // The property would hold vacuously if nothing were ever flagged or re-judged.
    assertThat(flaggedUses).as("flagged events").isPositive();
    assertThat(amendments).as("amendments written").isPositive();
  }

  /**
   * Arrival order {@code o}: 0 as generated (parents first), 1 reversed (leaf-first, uses and
   * revocations before their tokens), 2-5 shuffled, 6 latest uses first, then the tokens
   * leaf-first, then revocations; 7 tokens, uses in time order, revocations last (every revocation
   * re-judges stored uses).
   */
  private static List<LedgerEvent> order(List<LedgerEvent> events, int o, Random random) {
    List<LedgerEvent> order = new ArrayList<>(events);
    switch (o) {
      case 0 -> {}
      case 1 -> Collections.reverse(order);
      case 6 -> {
        order.clear();
        events.stream()
            .filter(e -> e.getUse() != null)
            .sorted(Comparator.comparing(LedgerEvent::getOccurredAt).reversed())
            .forEach(order::add);
        List<LedgerEvent> tokens =
            new ArrayList<>(events.stream().filter(e -> e.getToken() != null).toList());
        Collections.reverse(tokens);
        order.addAll(tokens);
        events.stream().filter(e -> e.getRevocation() != null).forEach(order::add);
      }
      case 7 -> {
        order.clear();
        events.stream().filter(e -> e.getToken() != null).forEach(order::add);
        events.stream()
            .filter(e -> e.getUse() != null)
            .sorted(Comparator.comparing(LedgerEvent::getOccurredAt))
            .forEach(order::add);
        events.stream().filter(e -> e.getRevocation() != null).forEach(order::add);
      }
      default -> Collections.shuffle(order, random);
    }
    return order;
  }

  /**
   * Per violation kind, the events flagged with it: each audit record's violations, then every
   * amendment's added and removed applied in topic order (as the index and an export reader do).
   */
  private static Map<String, Set<String>> verdicts(Driver driver, String tenant) {
    Map<String, Set<ViolationKind>> perEvent = new TreeMap<>();
    driver.audit.stream()
        .filter(a -> a.getTenant().equals(tenant))
        .forEach(a -> perEvent.put(a.getEventId(), EnumSet.copyOf(withUnknown(a.getViolations()))));
    for (AuditRecord amendment : driver.amendments) {
      if (amendment.getTenant().equals(tenant)) {
        Set<ViolationKind> now = perEvent.get(amendment.getEventId());
        assertThat(now)
            .as("amendment of an event audited before it: " + amendment.getEventId())
            .isNotNull();
        assertThat(amendment.getViolations()).isEqualTo(amendment.getAmends().getAdded());
        assertThat(amendment.getAmends().getCauseEventId())
            .as("the cause of " + amendment)
            .isNotNull();
        now.addAll(amendment.getAmends().getAdded());
        now.removeAll(amendment.getAmends().getRemoved());
      }
    }
    Map<String, Set<String>> out = new TreeMap<>();
    perEvent.forEach(
        (eventId, kinds) ->
            kinds.stream()
                .filter(k -> k != ViolationKind.unknown)
                .forEach(k -> out.computeIfAbsent(k.name(), x -> new TreeSet<>()).add(eventId)));
    return out;
  }

  private static Collection<ViolationKind> withUnknown(Collection<ViolationKind> kinds) {
    List<ViolationKind> out = new ArrayList<>(kinds);
    out.add(ViolationKind.unknown); // EnumSet.copyOf needs one element
    return out;
  }

  /** Per violation kind, the events that raised an alert of it. */
  private static Map<String, Set<String>> alerts(Driver driver, String tenant) {
    Map<String, Set<String>> out = new TreeMap<>();
    driver.alerts.stream()
        .filter(a -> a.getTenant().equals(tenant))
        .forEach(
            a -> out.computeIfAbsent(a.getKind().name(), x -> new TreeSet<>()).add(a.getEventId()));
    return out;
  }

  private static Map<String, String> tokensOf(Driver driver, String tenant) {
    Map<String, String> out = new TreeMap<>();
    driver.tokens.forEach(
        (key, node) -> {
          if (node.getTenant().equals(tenant)) {
            TokenNode copy = TokenNode.newBuilder(node).setTenant("t").setUpdatedAt(null).build();
            out.put(node.getTokenId(), copy.toString());
          }
        });
    return out;
  }

  private static List<LedgerEvent> forest(Random random, String prefix) {
    List<LedgerEvent> events = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    int size = 6 + random.nextInt(12);
    for (int i = 0; i < size; i++) {
      String id = prefix + "-t" + i;
      Instant expires =
          random.nextInt(4) == 0 ? null : T0.plusSeconds(600 + random.nextInt(36_000));
      if (i == 0 || random.nextInt(10) == 0) {
        events.add(
            Events.issued(
                "x",
                "ev-" + id,
                id,
                "user:" + i,
                "agent:" + id,
                pick(random, AUDIENCE, 1),
                pick(random, SCOPES.subList(0, 4), 1),
                expires,
                budget(random),
                T0));
      } else {
        String parent = tokens.get(random.nextInt(tokens.size()));
        if (random.nextBoolean()) {
          events.add(
              Events.exchanged(
                  "x",
                  "ev-" + id,
                  id,
                  parent,
                  "agent:" + id,
                  pick(random, AUDIENCE, 1),
                  pick(random, SCOPES, 1),
                  expires,
                  budget(random),
                  T0.plusSeconds(i)));
        } else {
          events.add(
              Events.attenuated(
                  "x",
                  "ev-" + id,
                  id,
                  parent,
                  random.nextBoolean() ? "agent:" + id : null,
                  T0.plusSeconds(i)));
        }
      }
      tokens.add(id);
    }
    int uses = random.nextInt(15);
    for (int u = 0; u < uses; u++) {
      String token = tokens.get(random.nextInt(tokens.size()));
      String actor =
          switch (random.nextInt(3)) {
            case 0 -> "agent:" + token;
            case 1 -> "agent:evil";
            default -> null;
          };
      Outcome outcome = random.nextInt(5) == 0 ? Outcome.denied : Outcome.allowed;
      events.add(
          Events.used(
              "x",
              prefix + "-use" + u,
              token,
              AUDIENCE.get(random.nextInt(3)),
              actor,
              outcome,
              T0.plusSeconds(random.nextInt(40_000))));
    }
    int revocations = random.nextInt(4);
    for (int r = 0; r < revocations; r++) {
      events.add(
          Events.revoked(
              "x",
              prefix + "-rev" + r,
              tokens.get(random.nextInt(tokens.size())),
              T0.plusSeconds(random.nextInt(40_000))));
    }
    return events;
  }

  /** Mostly none; else 1-3 allowed uses, so that the uses below exceed some budgets. */
  private static Long budget(Random random) {
    return random.nextInt(3) == 0 ? 1L + random.nextInt(3) : null;
  }

  private static List<String> pick(Random random, List<String> from, int atLeast) {
    List<String> picked =
        from.stream().filter(s -> random.nextBoolean()).collect(Collectors.toList());
    while (picked.size() < atLeast) {
      picked.add(from.get(random.nextInt(from.size())));
    }
    return picked.stream().distinct().toList();
  }
}
