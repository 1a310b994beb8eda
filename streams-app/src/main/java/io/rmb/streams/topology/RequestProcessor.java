package io.rmb.streams.topology;

import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.record.Answer;
import io.rmb.streams.record.InvalidRecordException;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.Request;
import io.rmb.streams.record.RmbHeaders;
import io.rmb.streams.record.ValueFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request side of the gateway, one instance per task: reads {@code rmb.requests} and the
 * internal answers topic (co-partitioned), keeps the in-flight store, and fires timeouts.
 *
 * <ul>
 *   <li>A request is validated; a poison one goes to the DLQ (and gets an error outcome when
 *       it names a ref). A good one is stored under its deterministic uid and its deadline
 *       index, then handed to the network, which returns at once.</li>
 *   <li>An answer is joined with the store: the first answer per destination becomes its
 *       outcome and removes the destination; later ones are counted and dropped.</li>
 *   <li>A request with every outcome written stays in the store as a small done marker
 *       (no payload, no destinations) until its deadline plus a retention of three commit
 *       intervals (at least a minute) and at least that retention after the task started:
 *       under at-least-once a crash replays records since the last commit, and without the
 *       marker a replayed request would be accepted as new, sent again (the remote replay
 *       guard drops it) and time out, a second and different outcome for a destination that
 *       already had its response.</li>
 *   <li>For the same reason a request found in the store at task start, or written before
 *       the start and read within that retention after it, does not time out before that
 *       retention has passed since the start: its answer may still be replayed (a record
 *       processed before a crash whose store writes were lost comes back as new). Such a
 *       request already past its deadline is not sent again, only kept for its answers.</li>
 *   <li>Within that retention after a start, an answer whose request is not in the store is
 *       kept (in memory) until the request is replayed and then joined with it, since the
 *       answers partition may be replayed first; what is still kept when the retention ends
 *       is counted as unknown and dropped.</li>
 *   <li>Answers the network also hands over in-process ({@link LocalAnswers}) are joined as
 *       soon as the stream thread sees them (on each record and on a short wall-clock
 *       punctuator), but only while the store holds the request with that destination open;
 *       the copy of such an answer read later from the answers topic is counted as
 *       {@code delivered} and dropped. Anything else is left to the topic copy.</li>
 *   <li>A wall-clock punctuator writes timeout outcomes (408) for every destination whose
 *       deadline passed.</li>
 *   <li>When the task starts (first start, restart, rebalance) every stored request is handed
 *       to the network again with its uid and issue time: it may never have left before a
 *       crash; answers to both sends correlate and the store keeps one.</li>
 * </ul>
 */
final class RequestProcessor implements Processor<byte[], byte[], byte[], Output> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestProcessor.class);
  /** Shortest time a done marker is kept after its deadline and after a task start. */
  static final long MIN_RETENTION_MILLIS = StartWindow.MIN_RETENTION_MILLIS;
  /** How often in-process answers are looked for when no record arrives. */
  static final Duration LOCAL_DRAIN_INTERVAL = Duration.ofMillis(2);

  private final GatewayTopics topics;
  private final RmbNetwork network;
  private final RecordCodec codec;
  private final Outputs outputs;
  private final Clock clock;
  private final GatewayMetrics metrics;
  private final Duration punctuateInterval;
  private final ValueFormat format;
  private ProcessorContext<byte[], Output> context;
  private KeyValueStore<String, InFlight> inFlight;
  /** Derived from the in-flight store, rebuilt when the task starts (no changelog). */
  private final DeadlineIndex deadlines = new DeadlineIndex();
  private long localInFlight;
  /** Possible replays after this task's start (see the class comment). */
  private StartWindow window;
  /** Answers replayed before their request, and answers joined in-process (HeldAnswers). */
  private final HeldAnswers held = new HeldAnswers();
  private final Optional<LocalAnswers> local;
  private int partition;

  RequestProcessor(GatewayTopics topics, RmbNetwork network, Clock clock,
      GatewayMetrics metrics, Duration punctuateInterval, ValueFormat format) {
    this.topics = topics;
    this.network = network;
    this.codec = new RecordCodec(clock);
    this.format = format;
    this.outputs = new Outputs(codec, topics, clock, format);
    this.clock = clock;
    this.metrics = metrics;
    this.punctuateInterval = punctuateInterval;
    this.local = network.localAnswers();
  }

  @Override
  public void init(ProcessorContext<byte[], Output> context) {
    this.context = context;
    this.inFlight = context.getStateStore(GatewayTopology.IN_FLIGHT_STORE);
    this.window = new StartWindow(clock.millis(), context.appConfigs());
    this.partition = context.taskId().partition();
    context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, t -> expire());
    if (local.isPresent()) {
      context.schedule(LOCAL_DRAIN_INTERVAL, PunctuationType.WALL_CLOCK_TIME,
          t -> drainLocal());
    }
    resendStored();
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    drainLocal();
    if (source.topic().equals(topics.answers())) {
      answer(record);
    } else {
      request(record, source);
    }
  }

  private void request(Record<byte[], byte[]> record, RecordMetadata source) {
    Headers headers = record.headers();
    Optional<String> correlation = RmbHeaders.correlationId(headers);
    String coordinates = source.topic() + "-" + source.partition() + "-" + source.offset();
    String fallbackRef = record.key() != null && record.key().length > 0
        ? new String(record.key(), StandardCharsets.UTF_8) : coordinates;
    String uid = Uids.of(context.applicationId(), source.topic(), source.partition(),
        source.offset(), record.timestamp());
    Request request;
    try {
      request = codec.parseRequest(format.toJson(source.topic(),
          ValueFormat.RecordType.REQUEST, record.value(), correlation.orElse(null)),
          correlation, fallbackRef);
    } catch (InvalidRecordException e) {
      metrics.request("invalid");
      metrics.deadLetter(source.topic());
      LOG.debug("request {} to the DLQ: {}", coordinates, e.getMessage());
      context.forward(outputs.deadLetter(record, source, e.getMessage()));
      e.ref().ifPresent(ref -> context.forward(outputs.outcome(
          inFlight(uid, ref, record, source, null, List.of(0L), 0, 0),
          Answer.error(0, 101, e.getMessage()))));
      return;
    }
    if (inFlight.get(uid) != null) {
      metrics.request("duplicate"); // processed again after a crash: already stored and sent
      return;
    }
    InFlight entry = inFlight(uid, request.ref(), record, source, request,
        request.destinations(), request.issuedAt().toEpochMilli(),
        request.deadline().toEpochMilli());
    long now = clock.millis();
    boolean expired = entry.deadlineMillis() <= now;
    // a record written before this task started may have been processed (and answered)
    // before a crash whose store writes were lost: its answers may still be replayed after
    // it, so its timeouts wait like a restored request's (found by KafkaChaosIT: a replayed
    // request past its deadline timed out at once, after its response)
    boolean mayBeReplay = window.mayBeReplay(record.timestamp(), now);
    if (expired && !mayBeReplay) {
      metrics.request("expired");
      for (long twin : entry.remaining()) {
        emit(entry, Answer.timeout(twin));
      }
      return;
    }
    inFlight.put(uid, entry);
    deadlines.add(entry);
    track(entry.remaining().size());
    metrics.request(expired ? "expired" : "accepted");
    for (Answer answer : held.takeEarly(uid)) {
      entry = apply(entry, answer); // answered before the crash: replayed before the request
    }
    if (entry.remaining().isEmpty()) {
      return;
    }
    if (mayBeReplay) {
      window.restore(uid);
    }
    if (!expired) {
      network.send(entry);
    }
  }

  private InFlight inFlight(String uid, String ref, Record<byte[], byte[]> record,
      RecordMetadata source, Request request, List<Long> destinations, long issuedAt,
      long deadline) {
    Headers headers = record.headers();
    String outputTopic = topics.responses();
    Integer outputPartition = null;
    Optional<String> replyTopic = RmbHeaders.text(headers, RmbHeaders.SPRING_REPLY_TOPIC)
        .filter(t -> !t.isEmpty());
    if (replyTopic.isPresent()) {
      if (topics.replyTopicAllowed(replyTopic.get())) {
        outputTopic = replyTopic.get();
        outputPartition = RmbHeaders.last(headers, RmbHeaders.SPRING_REPLY_PARTITION)
            .filter(v -> v.length == 4).map(v -> ByteBuffer.wrap(v).getInt()).orElse(null);
      } else {
        metrics.request("reply-topic-refused");
        LOG.debug("reply topic {} is not allowed; outcomes go to {}", replyTopic.get(),
            outputTopic);
      }
    }
    return new InFlight(uid, ref, record.key(),
        RmbHeaders.last(headers, RmbHeaders.CORRELATION_ID).orElse(null),
        RmbHeaders.last(headers, RmbHeaders.SPRING_CORRELATION_ID).orElse(null),
        outputTopic, outputPartition, source.topic(), source.partition(), source.offset(),
        request == null ? "" : request.command(),
        request == null ? new byte[0] : request.payload(),
        request == null ? null : request.schema(), request == null ? null : request.tags(),
        issuedAt, deadline, clock.millis(), destinations);
  }

  private void answer(Record<byte[], byte[]> record) {
    if (record.key() == null) {
      metrics.answerDropped("invalid");
      return;
    }
    String uid = new String(record.key(), StandardCharsets.UTF_8);
    Answer answer;
    try {
      answer = codec.parseAnswer(record.value());
    } catch (InvalidRecordException e) {
      metrics.answerDropped("invalid");
      LOG.warn("dropping an answer for {}: {}", uid, e.getMessage());
      return;
    }
    if (held.takeDelivered(uid, answer.twin())) {
      metrics.answerDropped("delivered"); // its outcome was written when handed over in-process
      return;
    }
    InFlight entry = inFlight.get(uid);
    // after a crash the answers partition may be replayed before the request it answers:
    // keep the answer until the request comes (or the replay window ends), otherwise the
    // request would be sent again, dropped by the remote replay guard, and time out
    if (entry == null && window.open(clock.millis()) && held.holdEarly(uid, answer)) {
      return;
    }
    if (entry == null || entry.remaining().isEmpty()) {
      metrics.answerDropped("unknown"); // already answered, timed out, or not ours
      return;
    }
    if (record.timestamp() > entry.deadlineMillis() && window.restored(uid)) {
      // written after the deadline: the crashed run may have written the timeout already
      // (its store write lost); the timeout this run writes keeps the outcome the same
      metrics.answerDropped("late");
      return;
    }
    if (window.deferError(uid, answer, clock.millis())) {
      return; // joined when the replay window closes, unless a replayed answer comes first
    }
    apply(entry, answer);
  }

  private void drainLocal() {
    local.ifPresent(answers -> answers.drain(partition, this::localAnswer));
  }

  /**
   * An answer handed over in-process: joined only when its destination is open in the store;
   * otherwise (replays, restarts, timeouts, duplicates) its topic copy decides, as before.
   */
  private void localAnswer(String uid, Answer answer) {
    if (answer.status() == Answer.Status.TIMEOUT
        || answer.status() == Answer.Status.ERROR && window.restored(uid)) {
      return; // a restored request's errors wait for the replay window: the topic copy decides
    }
    InFlight entry = inFlight.get(uid);
    if (entry == null) {
      return;
    }
    long twin = answer.twin() == 0 && entry.remaining().size() == 1
        ? entry.remaining().get(0) : answer.twin();
    if (!entry.remaining().contains(twin)) {
      return;
    }
    apply(entry, answer);
    held.delivered(uid, answer.twin());
  }

  /** Writes the outcome {@code answer} gives {@code entry}; returns what is left of it. */
  private InFlight apply(InFlight entry, Answer answer) {
    long twin = answer.twin();
    if (twin == 0 && entry.remaining().size() == 1) {
      twin = entry.remaining().get(0); // a relay error after a restart names no destination
    }
    if (answer.status() == Answer.Status.TIMEOUT) {
      metrics.answerDropped("timeout"); // the punctuator owns timeouts
    } else if (!entry.remaining().contains(twin)) {
      metrics.answerDropped(twin == 0 ? "unattributed" : "duplicate");
    } else {
      emit(entry, answer.withTwin(twin));
      InFlight rest = entry.without(twin);
      track(-1);
      if (rest.remaining().isEmpty()) {
        deadlines.remove(entry);
        markDone(rest);
      } else {
        inFlight.put(entry.uid(), rest);
      }
      return rest;
    }
    return entry;
  }

  /** Writes timeouts for every request whose deadline has passed. */
  private void expire() {
    long now = clock.millis();
    Map<String, List<Answer>> deferredErrors = window.close(now);
    boolean replaying = deferredErrors == null;
    if (!replaying) {
      // before the timeouts: a deferred error is its destination's outcome
      deferredErrors.forEach((uid, answers) -> {
        for (Answer answer : answers) {
          InFlight entry = inFlight.get(uid);
          if (entry != null && !entry.remaining().isEmpty()) {
            apply(entry, answer); // no replayed answer came for it: the error stands
          }
        }
      });
      for (int i = held.dropEarly(); i > 0; i--) {
        metrics.answerDropped("unknown");
      }
    }
    for (DeadlineIndex.Slot item : deadlines.due(now)) {
      InFlight entry = inFlight.get(item.uid());
      if (replaying && entry != null && !entry.remaining().isEmpty()
          && window.restored(item.uid())) {
        // the store may lag its input after a crash (cached writes are lost): the answer
        // this request got before the crash may still be replayed, and must win over a
        // timeout; restored requests time out only after the retention since the start
        continue;
      }
      if (entry != null && entry.remaining().isEmpty()) {
        if (replaying) {
          continue; // records processed before this start may still be replayed
        }
        inFlight.delete(item.uid());
      } else if (entry != null) {
        for (long twin : entry.remaining()) {
          emit(entry, Answer.timeout(twin));
        }
        track(-entry.remaining().size());
        markDone(entry);
      }
      deadlines.remove(item);
    }
  }

  /** Replaces a finished request by its done marker, purged by {@link #expire()} later. */
  private void markDone(InFlight finished) {
    InFlight marker = finished.done();
    long purgeAt = window.purgeAt(marker.deadlineMillis(), clock.millis());
    inFlight.put(marker.uid(), marker);
    deadlines.markerPurgedAt(marker, purgeAt);
  }

  /**
   * Rebuilds the deadline index from the store (it has no changelog) and hands every stored
   * request to the network again.
   */
  private void resendStored() {
    long now = clock.millis();
    deadlines.rebuild(inFlight, marker -> window.purgeAt(marker.deadlineMillis(), now));
    long resent = 0;
    try (KeyValueIterator<String, InFlight> it = inFlight.all()) {
      while (it.hasNext()) {
        InFlight entry = it.next().value;
        if (entry.remaining().isEmpty()) {
          continue; // a done marker: nothing to send
        }
        window.restore(entry.uid());
        track(entry.remaining().size());
        if (entry.deadlineMillis() > now) {
          network.send(entry);
          resent++;
        }
      }
    }
    if (resent > 0) {
      metrics.resent(resent);
      LOG.info("task {}: handed {} stored requests to the network again", context.taskId(),
          resent);
    }
  }

  private void emit(InFlight entry, Answer answer) {
    metrics.outcome(answer.status().label(),
        Duration.ofMillis(clock.millis() - entry.acceptedAtMillis()));
    context.forward(outputs.outcome(entry, answer));
  }

  private void track(long destinations) {
    localInFlight += destinations;
    metrics.inFlight(destinations);
  }

  @Override
  public void close() {
    metrics.inFlight(-localInFlight); // the task moved away or stopped: no longer ours
    localInFlight = 0;
    format.close();
  }

}
