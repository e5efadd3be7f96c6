package dev.ledger.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The contract's rules that every module reads from schemas: event types, tenant names, field
 * rules.
 */
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

  @Test
  void theTenantRuleIsWordedAsCONTRACTSectionOneWordsIt() {
    // CONTRACT.md section 1: "1..128 of `A-Z a-z 0-9 . _ -`"; every validator's problem says this.
    assertThat(LedgerKey.tenantRule()).isEqualTo("1..128 of A-Z a-z 0-9 . _ -");
    assertThat(LedgerKey.tenantRule(8)).isEqualTo("1..8 of " + LedgerKey.TENANT_CHARACTERS);
    assertThat(LedgerKey.isTenantName("AZaz09._-")).isTrue();
  }

  @Test
  void anIssuanceAndAnExchangeStateWhatAnAttenuationInherits() {
    for (EventRules.TokenField field : EventRules.TokenField.values()) {
      assertThat(field.isRequiredBy(EventType.EXCHANGED))
          .as(field.wireName())
          .isEqualTo(field != EventRules.TokenField.SUBJECT);
      assertThat(field.isRequiredBy(EventType.ISSUED))
          .as(field.wireName())
          .isEqualTo(field != EventRules.TokenField.PARENT_TOKEN_ID);
      assertThat(field.isRequiredBy(EventType.ATTENUATED))
          .as(field.wireName())
          .isEqualTo(field == EventRules.TokenField.PARENT_TOKEN_ID);
      assertThat(field.isRequiredBy(EventType.USED)).isFalse();
    }
    assertThat(EventRules.hasParent(EventType.ISSUED)).isFalse();
    assertThat(EventRules.hasParent(EventType.ATTENUATED)).isTrue();
  }

  @Test
  void aBudgetAllowsAUseAndATokenIsNotItsOwnParent() {
    assertThat(EventRules.whyMaxUsesRefused(1)).isEmpty();
    assertThat(EventRules.whyMaxUsesRefused(0)).contains("must be greater than 0, not 0");
    assertThat(EventRules.whyMaxUsesRefused(-1)).contains("must be greater than 0, not -1");
    assertThat(EventRules.whyParentRefused("t", "p")).isEmpty();
    assertThat(EventRules.whyParentRefused("t", null)).isEmpty();
    assertThat(EventRules.whyParentRefused("t", "t").orElseThrow()).contains("its own parent");
  }

  @Test
  void onlyARootMustNameAnAudienceAndNoTextIsEmpty() {
    assertThat(EventRules.whyAudienceRefused(EventType.ISSUED, 0)).isPresent();
    assertThat(EventRules.whyAudienceRefused(EventType.ISSUED, 1)).isEmpty();
    assertThat(EventRules.whyAudienceRefused(EventType.EXCHANGED, 0)).isEmpty();
    assertThat(EventRules.whyEmpty("")).contains("must not be empty");
    assertThat(EventRules.whyEmpty(" ")).isEmpty();
    assertThat(EventRules.OUTCOMES).containsExactly("allowed", "denied");
  }
}
