package dev.ledger.api.auth;

import static dev.ledger.api.auth.Permission.EVENTS_ISSUE;
import static dev.ledger.api.auth.Permission.EVENTS_REVOKE;
import static dev.ledger.api.auth.Permission.EVENTS_USE;
import static dev.ledger.api.auth.Permission.EXPORT;
import static dev.ledger.api.auth.Permission.KEYS_ADMIN;
import static dev.ledger.api.auth.Permission.READ_AUDIT;
import static dev.ledger.api.auth.Permission.READ_REVOCATIONS;
import static dev.ledger.api.auth.Permission.READ_TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.ingest.Submitter;
import dev.ledger.schemas.EventType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one permission model: permission names, the role presets, and how event types map onto
 * permissions.
 */
class PermissionTest {

  @Test
  void rolesArePresetsWithTheDocumentedSets() {
    assertThat(Role.auditor.permissions())
        .containsExactlyInAnyOrder(READ_AUDIT, READ_TOKENS, READ_REVOCATIONS, EXPORT);
    assertThat(Role.producer.permissions())
        .containsExactlyInAnyOrder(EVENTS_ISSUE, EVENTS_USE, EVENTS_REVOKE);
    assertThat(Role.admin.permissions()).containsExactlyInAnyOrder(Permission.values());
    assertThat(Role.resource_server.permissions())
        .containsExactlyInAnyOrder(EVENTS_USE, READ_REVOCATIONS);
    assertThat(Role.subscriber.permissions())
        .containsExactlyInAnyOrder(Permission.SSF_MANAGE, READ_REVOCATIONS);
    assertThat(Role.admin.permissions()).contains(KEYS_ADMIN);
    assertThatThrownBy(() -> Role.auditor.permissions().add(EVENTS_USE))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rolesParseByTheirWrittenName() {
    assertThat(Role.parse(" Admin ")).isEqualTo(Role.admin);
    assertThat(Role.parse("resource-server")).isEqualTo(Role.resource_server);
    assertThat(Role.parse("resource_server")).isEqualTo(Role.resource_server);
    assertThat(Role.resource_server.id()).isEqualTo("resource-server");
    assertThat(Role.resource_server).hasToString("resource-server");
    assertThatThrownBy(() -> Role.parse("root"))
        .hasMessageContaining("auditor, producer, admin, resource-server, subscriber");
  }

  @Test
  void permissionListsSplitOnCommasAndSpacesAndNameEveryUnknownName() {
    assertThat(Permission.parseAll("events:use,read:revocations"))
        .containsExactly(EVENTS_USE, READ_REVOCATIONS);
    assertThat(Permission.parseAll(" read:audit  export,read:tokens "))
        .containsExactly(READ_AUDIT, READ_TOKENS, EXPORT);
    assertThat(Permission.parseAll(List.of("EVENTS:REVOKE"))).containsExactly(EVENTS_REVOKE);
    assertThatThrownBy(() -> Permission.parseAll("events:use,events:fly,admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'events:fly', 'admin'")
        .hasMessageContaining("events:issue, events:use, events:revoke, read:audit");
    assertThatThrownBy(() -> Permission.parseAll(" , ")).hasMessageContaining("no permission");
    assertThat(Permission.join(EnumSet.of(READ_REVOCATIONS, EVENTS_USE)))
        .isEqualTo("events:use,read:revocations");
  }

  @Test
  void everyEventTypeNeedsOneOfTheEventPermissionsAndUsesAndRevocationsAreApart() {
    for (EventType type : EventType.values()) {
      assertThat(Permission.parseAll(type.permission()))
          .as(type.wireName())
          .hasSize(1)
          .isSubsetOf(Permission.EVENTS);
    }
    assertThat(Arrays.stream(EventType.values()).map(EventType::permission).distinct())
        .containsExactlyInAnyOrder("events:issue", "events:use", "events:revoke");
    assertThat(EventType.USED.permission()).isNotEqualTo(EventType.REVOKED.permission());
    Submitter resourceServer =
        new Submitter("k", "acme", Permission.ids(Role.resource_server.permissions()));
    assertThat(resourceServer.mayReport(EventType.USED)).isTrue();
    assertThat(resourceServer.mayReport(EventType.REVOKED)).isFalse();
    assertThat(resourceServer.mayReport(EventType.ISSUED)).isFalse();
  }

  @Test
  void aCallerMayWhatItsPermissionsSay() {
    Caller caller = new Caller("k", Role.resource_server, "acme");
    assertThat(caller.may(EVENTS_USE)).isTrue();
    assertThat(caller.may(EVENTS_REVOKE)).isFalse();
    assertThat(new Caller("k", Role.producer, "acme"))
        .isEqualTo(
            new Caller("k", EnumSet.of(EVENTS_ISSUE, EVENTS_USE, EVENTS_REVOKE), "acme", null));
  }
}
