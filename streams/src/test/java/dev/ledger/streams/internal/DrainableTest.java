package dev.ledger.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class DrainableTest {

  private static final String SEP = LedgerStores.SEP;

  private final AtomicInteger scans = new AtomicInteger();
  private final KeyValueStore<String, String> store = countingScans(inMemory());

  @Test
  void drainingATokenWithNothingKeptDoesNotSeekTheStore() {
    Drainable<String> d = new Drainable<>(store);
    d.put("t/a" + SEP + "e1", "1");
    for (int i = 0; i < 1_000; i++) {
      assertThat(d.drain("t/b" + i)).isEmpty();
    }
    assertThat(scans).as("a seek per token is what made large trees quadratic").hasValue(0);
  }

  @Test
  void drainReturnsAToken_sEntriesInKeyOrderOnceAndLeavesOthers() {
    Drainable<String> d = new Drainable<>(store);
    d.put("t/a" + SEP + "e2", "2");
    d.put("t/a" + SEP + "e1", "1");
    d.put("t/ab" + SEP + "e3", "3"); // a token whose id starts with the other's
    assertThat(d.drain("t/a")).extracting(kv -> kv.value).containsExactly("1", "2");
    assertThat(d.drain("t/a")).isEmpty();
    assertThat(store.get("t/a" + SEP + "e1")).isNull();
    assertThat(d.drain("t/ab")).extracting(kv -> kv.value).containsExactly("3");
  }

  @Test
  void entriesAlreadyInTheStoreAreFoundAfterARestart() {
    store.put("t/a" + SEP + "e1", "1"); // kept before the restart: restored, not put again
    Drainable<String> d = new Drainable<>(store);
    assertThat(d.drain("t/a")).containsExactly(KeyValue.pair("t/a" + SEP + "e1", "1"));
  }

  @Test
  void aTokenWhoseEntriesWereDeletedElsewhereCostsOneSeekAndNothingElse() {
    Drainable<String> d = new Drainable<>(store);
    d.put("t/a" + SEP + "e1", "1");
    d.store().delete("t/a" + SEP + "e1");
    assertThat(d.drain("t/a")).isEmpty();
    assertThat(d.drain("t/a")).isEmpty();
    assertThat(scans).hasValue(1);
  }

  @Test
  void getFindsAnEntryPutOrRestoredAndNothingForATokenWithNoneKept() {
    store.put("t/a" + SEP + "e1", "1"); // restored before the processor starts
    Drainable<String> d = new Drainable<>(store);
    d.put("t/b" + SEP + "e2", "2");
    assertThat(d.get("t/a" + SEP + "e1")).isEqualTo("1");
    assertThat(d.get("t/b" + SEP + "e2")).isEqualTo("2");
    assertThat(d.get("t/b" + SEP + "e3")).isNull();
    assertThat(d.get("t/c" + SEP + "e1")).isNull();
    d.drain("t/a");
    assertThat(d.get("t/a" + SEP + "e1")).isNull();
  }

  private static KeyValueStore<String, String> inMemory() {
    KeyValueStore<String, String> s =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("drainable"), Serdes.String(), Serdes.String())
            .withLoggingDisabled()
            .build();
    s.init(new MockProcessorContext<>().getStateStoreContext(), s);
    return s;
  }

  @SuppressWarnings("unchecked")
  private KeyValueStore<String, String> countingScans(KeyValueStore<String, String> delegate) {
    return (KeyValueStore<String, String>)
        Proxy.newProxyInstance(
            KeyValueStore.class.getClassLoader(),
            new Class<?>[] {KeyValueStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("prefixScan") || method.getName().equals("range")) {
                scans.incrementAndGet();
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
