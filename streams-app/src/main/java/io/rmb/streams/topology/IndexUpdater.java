package io.rmb.streams.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global incoming index in step with its compacted topic (null: delete). */
final class IndexUpdater implements Processor<String, IncomingEntry, Void, Void> {
  private KeyValueStore<String, IncomingEntry> index;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.index = context.getStateStore(GatewayTopology.INCOMING_INDEX_STORE);
  }

  @Override
  public void process(Record<String, IncomingEntry> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      index.delete(record.key());
    } else {
      index.put(record.key(), record.value());
    }
  }
}
