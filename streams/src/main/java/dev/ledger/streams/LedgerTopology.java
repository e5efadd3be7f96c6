package dev.ledger.streams;

import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.Topic;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.TopicAdmin;
import dev.ledger.streams.internal.DlqDeserializationHandler;
import dev.ledger.streams.internal.DlqProductionHandler;
import dev.ledger.streams.internal.InjectedCrash;
import dev.ledger.streams.internal.LedgerStores;
import dev.ledger.streams.internal.LoopMessage;
import dev.ledger.streams.internal.Outputs;
import dev.ledger.streams.internal.RawEvent;
import dev.ledger.streams.internal.ResolvedRoots;
import dev.ledger.streams.internal.ResolverProcessor;
import dev.ledger.streams.internal.RocksDbMemory;
import dev.ledger.streams.internal.SizeGuard;
import dev.ledger.streams.internal.TreeMessage;
import dev.ledger.streams.internal.TreeProcessor;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the ledger's topology and its configuration; the application and every test call these
 * same functions.
 *
 * <pre>
 *  ledger.events ─┐
 *                 ├─► resolver (stage 1, by tenant/token_id) ─► &lt;app&gt;-resolve (loop back)
 *  &lt;app&gt;-resolve ─┘        │                                  ─► &lt;app&gt;-trees
 *                          └► ledger.dlq, ledger.tokens (pending), ledger.audit/alerts (cycle, unknown_token)
 *  &lt;app&gt;-trees ──► tree (stage 2, by tenant/root_id) ─► ledger.tokens, ledger.audit, ledger.alerts, ledger.revocations
 *        ▲                   │
 *        └───────────────────┘ a revocation's follow-up (node updates, in the next transaction)
 * </pre>
 *
 * <p>The two internal topics ({@link #internalTopics(StreamsSettings)}) are not created by Kafka
 * Streams; {@link LedgerStreams#start} creates them, and {@code <app>-resolve} must have as many
 * partitions as {@code ledger.events} because the resolver reads both in one task.
 *
 * <p>Every sink's serializers are wrapped in a {@link SizeGuard} below the producer's {@code
 * max.request.size}, and {@link DlqProductionHandler} skips a refused record to {@code ledger.dlq}:
 * no record the ledger writes can stop a stream thread.
 */
public final class LedgerTopology {

  /** Set this override to {@code in_memory} to keep state in memory (tests, benchmarks). */
  public static final String STORE_TYPE_OVERRIDE = StreamsConfig.DEFAULT_DSL_STORE_CONFIG;

  /**
   * The state store cache of each instance, shared by its threads: the hot nodes and links, one
   * interval's uses.
   */
  static final long STORE_CACHE_BYTES = 32L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(LedgerTopology.class);
  private static final String EVENTS_SOURCE = "events";
  private static final String RESOLVE_SOURCE = "resolve-in";
  private static final String TREES_SOURCE = "trees-in";

  private LedgerTopology() {}

  /** The resolve loop topic of stage 1: {@code <applicationId>-resolve}. */
  public static Topic<String, LoopMessage> resolveTopic(StreamsSettings settings) {
    return internal(settings.applicationId() + "-resolve", LoopMessage.SERDE);
  }

  /** The topic from stage 1 to the tree processor: {@code <applicationId>-trees}, keyed by root. */
  public static Topic<String, TreeMessage> treesTopic(StreamsSettings settings) {
    return internal(settings.applicationId() + "-trees", TreeMessage.SERDE);
  }

  /**
   * The topics this application needs beyond the public catalogue; create them with the partition
   * count of {@code ledger.events} (for example with {@code TopicAdmin.ensureTopics}).
   */
  public static List<Topic<?, ?>> internalTopics(StreamsSettings settings) {
    return List.of(resolveTopic(settings), treesTopic(settings));
  }

  /** The topology for {@code settings}; same function for the application and the tests. */
  public static Topology build(StreamsSettings settings) {
    Properties config = streamsConfig(settings);
    int maxRequestSize = maxRequestSize(config);
    long largest = largestRecordBytes(settings);
    if (largest > maxRequestSize - SizeGuard.HEADROOM) {
      LOG.warn(
          "with max depth {} and these limits a record may reach {} bytes, more than the {} the producer takes "
              + "(max.request.size {} - {}): such an output goes to {} (too_large), and a state changelog record that "
              + "large stops the stream thread; lower streams.max.depth or the limits",
          settings.maxDepth(),
          largest,
          maxRequestSize - SizeGuard.HEADROOM,
          maxRequestSize,
          SizeGuard.HEADROOM,
          Topics.DLQ.name());
    }
    Topology topology = new Topology(new TopologyConfig(new StreamsConfig(config)));
    boolean inMemory = "in_memory".equals(settings.overrides().get(STORE_TYPE_OVERRIDE));
    Topic<String, LoopMessage> resolve = resolveTopic(settings);
    Topic<String, TreeMessage> trees = treesTopic(settings);

    topology.addSource(
        EVENTS_SOURCE,
        Serdes.String().deserializer(),
        RawEvent.deserializer(),
        Topics.EVENTS.name());
    topology.addSource(
        RESOLVE_SOURCE,
        Serdes.String().deserializer(),
        resolve.valueSerde().deserializer(),
        resolve.name());
    InjectedCrash crash = new InjectedCrash(settings.crashAfterRecords());
    // One for all the resolver tasks of this topology: a child whose parent resolved in another
    // task resolves without the loop.
    ResolvedRoots roots = new ResolvedRoots(settings.resolvedRoots());
    topology.addProcessor(
        ResolverProcessor.NAME,
        () ->
            new ResolverProcessor(
                settings.unknownTokenGrace(),
                settings.dedupeRetention(),
                settings.maxDepth(),
                settings.limits(),
                crash,
                roots),
        EVENTS_SOURCE,
        RESOLVE_SOURCE);
    addStores(topology, LedgerStores.resolverStores(inMemory), ResolverProcessor.NAME);
    addSink(topology, ResolverProcessor.NAME, Outputs.RESOLVE, resolve, maxRequestSize);
    addSink(topology, ResolverProcessor.NAME, Outputs.TREES, trees, maxRequestSize);
    addSink(topology, ResolverProcessor.NAME, Outputs.DLQ, Topics.DLQ, maxRequestSize);
    addSink(topology, ResolverProcessor.NAME, Outputs.TOKENS, Topics.TOKENS, maxRequestSize);
    addSink(topology, ResolverProcessor.NAME, Outputs.AUDIT, Topics.AUDIT, maxRequestSize);
    addSink(topology, ResolverProcessor.NAME, Outputs.ALERTS, Topics.ALERTS, maxRequestSize);

    topology.addSource(
        TREES_SOURCE,
        Serdes.String().deserializer(),
        trees.valueSerde().deserializer(),
        trees.name());
    topology.addProcessor(
        TreeProcessor.NAME,
        () -> new TreeProcessor(settings.depthLimit(), settings.usesFlushInterval()),
        TREES_SOURCE);
    addStores(topology, LedgerStores.treeStores(inMemory), TreeProcessor.NAME);
    // The tree processor encodes each TokenNode once, for its store and this sink alike.
    addSink(
        topology,
        TreeProcessor.NAME,
        Outputs.TOKENS,
        Topics.TOKENS.name(),
        Topics.TOKENS.keySerde().serializer(),
        Serdes.ByteArray().serializer(),
        maxRequestSize);
    addSink(topology, TreeProcessor.NAME, Outputs.AUDIT, Topics.AUDIT, maxRequestSize);
    addSink(topology, TreeProcessor.NAME, Outputs.ALERTS, Topics.ALERTS, maxRequestSize);
    addSink(topology, TreeProcessor.NAME, Outputs.REVOCATIONS, Topics.REVOCATIONS, maxRequestSize);
    // A cascade's follow-up goes back to the tree processor through its own input topic, so that it
    // runs in the transaction after the one that wrote the notices (see TreeProcessor).
    addSink(topology, TreeProcessor.NAME, Outputs.TREES, trees, maxRequestSize);
    return topology;
  }

  /**
   * The Kafka Streams configuration for {@code settings}; {@link StreamsSettings#overrides()} are
   * applied last.
   */
  public static Properties streamsConfig(StreamsSettings settings) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
    p.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        settings.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
    p.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        Long.toString(settings.commitInterval().toMillis()));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(settings.threads()));
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Integer.toString(settings.replicationFactor()));
    // The changelogs and repartition topics Kafka Streams creates get what the ledger's own get.
    TopicAdmin.replicationConfig(settings.replicationFactor())
        .forEach((k, v) -> p.put(StreamsConfig.topicPrefix(k), v));
    // Failover (docs/scaling.md): a standby keeps a warm copy of another instance's state, so its
    // tasks move without replaying their changelogs; a short session timeout finds a dead instance
    // sooner; a static member id lets a restarted instance take its tasks back without a
    // rebalance.
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(settings.standbyReplicas()));
    long session = settings.sessionTimeout().toMillis();
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        Long.toString(session));
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        Long.toString(Math.max(1, session / 3)));
    if (settings.instanceId() != null) {
      p.put(
          StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
          settings.applicationId() + "-" + settings.instanceId());
    }
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DlqDeserializationHandler.class.getName());
    p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ.name());
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    // One record that cannot be written goes to ledger.dlq instead of killing the thread (and
    // every thread after it, on every restart: the input is read again).
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DlqProductionHandler.class.getName());
    // The resolver reads two topics in one task; it needs no time alignment between them, so never
    // idle-wait.
    p.put(
        StreamsConfig.MAX_TASK_IDLE_MS_CONFIG,
        Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
    // Only the stores built with caching use it (LedgerStores); see streams/README.md, "Caching and
    // commits".
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(STORE_CACHE_BYTES));
    // About a hundred RocksDB instances at six partitions: with 16 MB memtables and a 50 MB block
    // cache each they grow the process without bound under load (RocksDbMemory).
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbMemory.class.getName());
    // Under exactly-once a commit flushes the producer, so linger costs a revocation nothing; 5 ms
    // spreads the sends over the interval. 100 ms with 128 KiB batches measured within noise of
    // this
    // (BENCHMARKS.md, "Two levers tried and rejected").
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
    // Every record this app writes (outputs, the two loop topics and every changelog) repeats ids,
    // actors and field names: lz4 takes the Kafka log bytes per event to a third for a few percent
    // of CPU, and the broker stores batches as they come (compression.type=producer).
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    // With frequent commits the next transaction often starts while the last one's markers are
    // being
    // written (CONCURRENT_TRANSACTIONS); the default 100 ms retry backoff would dominate latency.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "5");
    // A read_committed fetch parked at the broker is not always woken when a transaction's markers
    // land, and an idle thread blocks in poll before it commits: both add straight to latency.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), "10");
    p.put(StreamsConfig.POLL_MS_CONFIG, "10");
    p.putAll(settings.overrides());
    return p;
  }

  private static <V> Topic<String, V> internal(String name, Serde<V> values) {
    return new Topic<>(
        name,
        Serdes.String(),
        values,
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG,
            Long.toString(7L * 24 * 3600 * 1000)));
  }

  private static void addStores(Topology topology, List<StoreBuilder<?>> stores, String processor) {
    stores.forEach(store -> topology.addStateStore(store, processor));
  }

  /**
   * An upper bound of the encoded size of the largest record the ledger may write under {@code
   * settings}: a TokenNode (or AuditRecord) at the max depth, whose chain holds {@code maxDepth +
   * 1} hops of a longest token id and actor, plus its own event's text and the rights it inherits
   * (another event's text), at 3 bytes per character (UTF-8 of the BMP). 0.66 MB with the defaults.
   */
  public static long largestRecordBytes(StreamsSettings settings) {
    LedgerLimits limits = settings.limits();
    long chainChars =
        (settings.maxDepth() + 1L) * (limits.maxTokenIdLength() + limits.maxTextLength());
    return 3 * (chainChars + 2L * limits.maxEventChars());
  }

  /**
   * The producer's {@code max.request.size} in {@code config} (a {@code producer.} override wins),
   * else Kafka's default.
   */
  static int maxRequestSize(Properties config) {
    Object value =
        config.getOrDefault(
            StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
            config.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024));
    return Integer.parseInt(value.toString());
  }

  private static <K, V> void addSink(
      Topology topology, String processor, String output, Topic<K, V> topic, int maxRequestSize) {
    addSink(
        topology,
        processor,
        output,
        topic.name(),
        topic.keySerde().serializer(),
        topic.valueSerde().serializer(),
        maxRequestSize);
  }

  private static <K, V> void addSink(
      Topology topology,
      String processor,
      String output,
      String topic,
      Serializer<K> keys,
      Serializer<V> values,
      int maxRequestSize) {
    topology.addSink(
        Outputs.sink(processor, output),
        topic,
        SizeGuard.key(keys),
        SizeGuard.value(values, maxRequestSize),
        processor);
  }
}
