package dev.ledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The contract's rules that every module reads from schemas: event types and tenant names. */
class ContractRulesTest {

  @Test
  void everyEventTypeIsFoundByItsWireNameAndItsConstant() {
    for (EventType type : EventType.values()) {
      assertThat(EventType.fromWireName(type.wireName())).contains(type);
    }
    assertThat(Arrays.stream(EventType.values()).map(EventType::wireName))
        .containsExactly(
            EventType.Names.ISSUED,
            EventType.Names.EXCHANGED,
            EventType.Names.ATTENUATED,
            EventType.Names.USED,
            EventType.Names.REVOKED);
    assertThat(EventType.fromWireName("token.minted")).isEmpty();
    assertThat(EventType.fromWireName(null)).isEmpty();
  }

  @Test
  void usesAndRevocationsNeedPermissionsOfTheirOwn() {
    assertThat(EventType.USED.permission()).isEqualTo("events:use");
    assertThat(EventType.REVOKED.permission()).isEqualTo("events:revoke");
    assertThat(EventType.ATTENUATED.permission()).isEqualTo("events:issue");
  }

  @Test
  void aTenantIsLettersDigitsDotUnderscoreAndDashWithinItsLimit() {
    assertThat(LedgerKey.isTenantName("acme-corp_2.eu")).isTrue();
    assertThat(LedgerKey.isTenantName("a".repeat(LedgerLimits.DEFAULTS.maxTenantLength())))
        .isTrue();
    assertThat(LedgerKey.isTenantName("a".repeat(LedgerLimits.DEFAULTS.maxTenantLength() + 1)))
        .isFalse();
    assertThat(LedgerKey.isTenantName("abc", 2)).isFalse();
    for (String bad : new String[] {"", "a/b", "a b", "*", "ümlaut", "a\nb"}) {
      assertThat(LedgerKey.isTenantName(bad)).as(bad).isFalse();
    }
    assertThat(LedgerKey.isTenantName(null)).isFalse();
    // Characters only, for validators that report an over-long tenant on its own.
    assertThat(LedgerKey.hasTenantCharacters("a".repeat(10_000))).isTrue();
    assertThat(LedgerKey.hasTenantCharacters("a/b")).isFalse();
  }
}
