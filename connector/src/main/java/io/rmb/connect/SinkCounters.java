package io.rmb.connect;

import java.util.concurrent.atomic.LongAdder;

/** What a sink task did, counted: nothing is dropped without showing up here. */
final class SinkCounters {
  final LongAdder requests = new LongAdder();
  final LongAdder invalid = new LongAdder();
  final LongAdder duplicateSends = new LongAdder();
  final LongAdder repliesSent = new LongAdder();
  final LongAdder repliesFailed = new LongAdder();
  final LongAdder unmatchedAnswers = new LongAdder();
  final LongAdder pauses = new LongAdder();

  @Override
  public String toString() {
    return "requests=" + requests + " invalid=" + invalid + " duplicateSends=" + duplicateSends
        + " repliesSent=" + repliesSent + " repliesFailed=" + repliesFailed
        + " unmatchedAnswers=" + unmatchedAnswers + " pauses=" + pauses;
  }
}
