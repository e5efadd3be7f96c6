package dev.ledger.streams.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;

/**
 * A {@code processor.wrapper.class} that kills the stream thread once, in the middle of a
 * transaction, when a processor has seen a given number of records: the crash of exactly-once
 * tests, injected through Kafka Streams' public wrapper hook (KIP-1112) into the real topology.
 */
public final class CrashingWrapper implements ProcessorWrapper {

  /** Records each processor (by node name) may see before it throws; absent means never. */
  public static final Map<String, AtomicInteger> COUNTDOWN = new ConcurrentHashMap<>();

  /** How many crashes were injected. */
  public static final AtomicInteger CRASHES = new AtomicInteger();

  @Override
  public <KIn, VIn, KOut, VOut>
      WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
          String name, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
    return ProcessorWrapper.asWrapped(() -> new Crashing<>(name, supplier.get()));
  }

  @Override
  public <KIn, VIn, VOut>
      WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(
          String name, FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
    return ProcessorWrapper.asWrappedFixedKey(supplier);
  }

  private record Crashing<KIn, VIn, KOut, VOut>(
      String name, Processor<KIn, VIn, KOut, VOut> delegate)
      implements Processor<KIn, VIn, KOut, VOut> {

    @Override
    public void init(ProcessorContext<KOut, VOut> context) {
      delegate.init(context);
    }

    @Override
    public void process(Record<KIn, VIn> record) {
      AtomicInteger countdown = COUNTDOWN.get(name);
      if (countdown != null && countdown.decrementAndGet() == 0) {
        CRASHES.incrementAndGet();
        throw new IllegalStateException("injected crash in " + name);
      }
      delegate.process(record);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
