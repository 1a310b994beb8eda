package io.rmb.streams.topology;

import io.rmb.streams.record.Reply;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A network that only records what the topology handed to it. */
class RecordingNetwork implements RmbNetwork {
  final List<InFlight> sent = new CopyOnWriteArrayList<>();
  final List<Reply> replies = new CopyOnWriteArrayList<>();

  @Override
  public void send(InFlight request) {
    sent.add(request);
  }

  @Override
  public void reply(Reply reply) {
    replies.add(reply);
  }
}
