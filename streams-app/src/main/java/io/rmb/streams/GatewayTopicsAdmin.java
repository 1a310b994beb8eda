package io.rmb.streams;

import io.rmb.streams.topology.GatewayTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the gateway's topics when missing and checks the one layout rule: the answers topic
 * has as many partitions as the requests topic (answers go to their request's partition).
 * Runs once at start, before the topology; blocking is fine here.
 */
final class GatewayTopicsAdmin {
  private static final long TIMEOUT_SECONDS = 60;

  private GatewayTopicsAdmin() {}

  static void prepare(Admin admin, GatewayTopics topics, boolean create, int partitions,
      short replication) {
    try {
      if (create) {
        Optional<Short> rf = replication < 0 ? Optional.empty() : Optional.of(replication);
        Optional<Integer> count = Optional.of(partitions);
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : List.of(topics.requests(), topics.responses(), topics.incoming(),
            topics.replies(), topics.dlq())) {
          wanted.add(new NewTopic(name, count, rf));
        }
        wanted.add(new NewTopic(topics.incomingIndex(), Optional.of(1), rf)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        createMissing(admin, wanted);
        int requestPartitions = describe(admin, topics.requests()).partitions().size();
        createMissing(admin, List.of(new NewTopic(topics.answers(),
            Optional.of(requestPartitions), rf)));
      }
      int requests = describe(admin, topics.requests()).partitions().size();
      int answers = describe(admin, topics.answers()).partitions().size();
      if (requests != answers) {
        throw new ConfigException("topic " + topics.answers() + " has " + answers
            + " partitions but " + topics.requests() + " has " + requests
            + "; they must match (answers go to their request's partition)");
      }
    } catch (ExecutionException e) {
      throw new ConfigException("cannot prepare the gateway topics: " + e.getCause());
    } catch (TimeoutException e) {
      throw new ConfigException("timed out preparing the gateway topics");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted preparing the gateway topics");
    }
  }

  private static void createMissing(Admin admin, List<NewTopic> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
    if (missing.isEmpty()) {
      return;
    }
    try {
      admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e; // another instance creating them at the same time is fine
      }
    }
  }

  /** Describes {@code topic}, waiting while a just-created topic's metadata propagates. */
  private static TopicDescription describe(Admin admin, String topic)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      try {
        return admin.describeTopics(List.of(topic)).allTopicNames()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100); // startup only: the broker has not published the topic yet
      }
    }
  }
}
