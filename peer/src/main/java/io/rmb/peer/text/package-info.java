/**
 * Text checks shared by every parser of untrusted bytes (relay tokens, Redis messages, Kafka
 * records): {@link io.rmb.peer.text.Utf8}.
 */
package io.rmb.peer.text;
