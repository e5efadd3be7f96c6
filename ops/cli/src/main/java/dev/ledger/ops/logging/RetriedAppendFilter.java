package dev.ledger.ops.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the embedded broker's ERROR line, with its stack trace, for one append it refuses as a
 * matter of course: under transactions v2 (KIP-890) a partition that has no state yet for a
 * producer accepts only sequence 0 first, so when a later batch of the same transaction gets there
 * before the first one, the broker refuses it with {@code OutOfOrderSequenceException ... with no
 * existing state} and the producer sends it again (KAFKA-18202). Under load Kafka Streams' frequent
 * commits make that common, and a user of {@code ./ledger up} would see bursts of stack traces for
 * nothing. Every other append error, and every other out-of-order sequence, is still logged.
 *
 * <p>Used by {@code logback.xml}: {@code <filter
 * class="dev.ledger.ops.logging.RetriedAppendFilter"/>} on the console appender.
 */
public final class RetriedAppendFilter extends Filter<ILoggingEvent> {

  static final String BROKER_LOGGER = "kafka.server.ReplicaManager";
  static final String EXCEPTION = "org.apache.kafka.common.errors.OutOfOrderSequenceException";
  static final String RETRIED = "with no existing state";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    boolean retried =
        thrown != null
            && BROKER_LOGGER.equals(event.getLoggerName())
            && EXCEPTION.equals(thrown.getClassName())
            && thrown.getMessage() != null
            && thrown.getMessage().contains(RETRIED);
    return retried ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
