package dev.ledger.index.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

class CursorTest {

  @Test
  void roundTripsAnIdWithSeparators() {
    Cursor c = new Cursor("audit", -42L, "audit:acme/ev:1\nodd");
    String wire = c.encode();
    assertThat(wire).matches("[A-Za-z0-9_-]+");
    assertThat(Cursor.decode(wire, "audit")).isEqualTo(c);
  }

  @Test
  void becomesTheSearchAfterPositionOfTheLastHit() {
    FieldDoc hit = new FieldDoc(7, Float.NaN, new Object[] {123L, new BytesRef("audit:acme/e1")});
    Cursor c = Cursor.after("audit", hit);
    FieldDoc after = Cursor.decode(c.encode(), "audit").toFieldDoc();
    assertThat(after.fields).containsExactly(123L, new BytesRef("audit:acme/e1"));
    assertThat(after.doc).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void refusesGarbageAndCursorsOfOtherLists() {
    String alerts = new Cursor("alert", 1, "x").encode();
    assertThatThrownBy(() -> Cursor.decode(alerts, "audit")).hasMessageContaining("another list");
    assertThatThrownBy(() -> Cursor.decode("%%%", "audit"))
        .isInstanceOf(IllegalArgumentException.class);
    String noNumber =
        Base64.getUrlEncoder().encodeToString("v1\naudit\nten\nx".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Cursor.decode(noNumber, "audit"))
        .isInstanceOf(IllegalArgumentException.class);
    String oldVersion =
        Base64.getUrlEncoder().encodeToString("v0\naudit\n1\nx".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Cursor.decode(oldVersion, "audit"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
