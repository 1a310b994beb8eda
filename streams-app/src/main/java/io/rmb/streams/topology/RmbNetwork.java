package io.rmb.streams.topology;

import io.rmb.streams.record.Reply;

/**
 * What the topology needs from the RMB network. Both calls are made on a stream thread and
 * must return at once: the work (twin lookups, signing, sending) happens elsewhere, and
 * answers come back as records on the answers topic.
 */
public interface RmbNetwork {
  /**
   * Sends {@code request} to its remaining destinations under its uid and original issue
   * time. Sending the same uid again (a resend after a restart) is allowed; duplicate answers
   * are dropped by the topology.
   */
  void send(InFlight request);

  /** Sends a service's reply to the twin that made the incoming request. */
  void reply(Reply reply);

  /**
   * Answers this process also hands over in-process, ahead of their copy on the answers
   * topic; empty (the default) when every answer comes through the topic only.
   */
  default java.util.Optional<LocalAnswers> localAnswers() {
    return java.util.Optional.empty();
  }
}
