package dev.ledger.ops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.FilterReply;
import java.net.URL;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class RetriedAppendFilterTest {

  private static final String RETRIED =
      "Invalid sequence number for producer 2 at offset 599 in partition ledger.audit-3: "
          + "17 (incoming seq. number). Expected sequence 0 for transactions v2 idempotent producer with no existing state.";

  private static ILoggingEvent brokerError(String logger, Throwable thrown) {
    LoggerContext context = new LoggerContext();
    return new LoggingEvent(
        Logger.class.getName(),
        context.getLogger(logger),
        Level.ERROR,
        "[ReplicaManager broker=1] Error processing append operation on partition ledger.audit-3",
        thrown,
        null);
  }

  @Test
  void onlyTheRetriedRefusalIsDropped() {
    RetriedAppendFilter filter = new RetriedAppendFilter();
    assertThat(
            filter.decide(
                brokerError(
                    RetriedAppendFilter.BROKER_LOGGER, new OutOfOrderSequenceException(RETRIED))))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            filter.decide(
                brokerError(
                    RetriedAppendFilter.BROKER_LOGGER,
                    new OutOfOrderSequenceException(
                        "Out of order sequence number for producer 7: 51 (incoming seq. number), 49 (current end sequence number)"))))
        .as("a real gap in the sequence is still an error")
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            filter.decide(
                brokerError(RetriedAppendFilter.BROKER_LOGGER, new IllegalStateException(RETRIED))))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            filter.decide(
                brokerError("dev.ledger.streams", new OutOfOrderSequenceException(RETRIED))))
        .as("only the broker's append log")
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(brokerError(RetriedAppendFilter.BROKER_LOGGER, null)))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void theLedgersConsoleAppenderUsesIt() throws Exception {
    URL config = getClass().getClassLoader().getResource("logback.xml");
    assertThat(config).as("the ledger's own logback.xml").isNotNull();
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(config);
    Appender<ILoggingEvent> console = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ERR");
    assertThat(
            console.getFilterChainDecision(
                brokerError(
                    RetriedAppendFilter.BROKER_LOGGER, new OutOfOrderSequenceException(RETRIED))))
        .isEqualTo(FilterReply.DENY);
    context.stop();
  }
}
