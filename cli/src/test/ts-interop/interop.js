// Drives the official TypeScript RMB client (@threefold/rmb_direct_client, exact version in
// package.json) against our relay: one request to a Java twin, then prints ONE JSON line on
// stdout describing what the client received. Used by cli TsClientInteropIT.
//
// usage: node interop.js <relayUrl> <twinsFile> <mnemonic> <keyType> <dstTwin> <command> <payload-json>
//
// The client normally reads twins from tfchain; here client.tfclient is replaced right after
// construction by a fake that serves the same twins JSON file our relay and Java twin read.
"use strict";
const { Client } = require("@threefold/rmb_direct_client");
const { fakeChain: makeFakeChain } = require("./fake-chain");

const [relayUrl, twinsFile, mnemonic, keyType, dstTwin, command, payload] = process.argv.slice(2);

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

const fakeChain = makeFakeChain(twinsFile);

async function main() {
  const client = new Client("ws://127.0.0.1:1/no-chain", relayUrl, mnemonic, "tsinterop", keyType, 2);
  client.tfclient = fakeChain;
  await client.connect();
  // read() only resolves for a response whose signature verify() accepted (it rejects with
  // "invalid signature, discarding response" otherwise) and decrypts a cipher payload.
  // Keep our own reference to the received envelope to re-verify and report it explicitly.
  const responses = new Map();
  const origSet = client.responses.set.bind(client.responses);
  client.responses.set = (k, v) => {
    if (v && v.response) responses.set(k, v);
    return origSet(k, v);
  };
  const requestId = await client.send(command, payload, Number(dstTwin), 1);
  const sent = client.responses.get(requestId);
  const sentEncrypted = !!(sent && sent.cipher && sent.cipher.length > 0);
  const data = await client.read(requestId);
  const received = responses.get(requestId);
  const verifiedAgain = received ? (await received.verify()) === true : null;
  out({
    ok: true,
    requestId,
    sentEncrypted,
    receivedEncrypted: !!(received && received.cipher && received.cipher.length > 0),
    signaturePrefix: received ? String.fromCharCode(received.signature[0]) : null,
    verified: verifiedAgain,
    sourceTwin: received ? received.source.twin : null,
    data,
    chainUpdates: fakeChain.updates.length,
  });
}

const timer = setTimeout(() => {
  out({ ok: false, error: "timeout in interop.js" });
  process.exit(3);
}, Number(process.env.TS_INTEROP_TIMEOUT_MS || 45000));

main().then(
  () => { clearTimeout(timer); process.exit(0); },
  (err) => { clearTimeout(timer); out({ ok: false, error: String(err && err.stack || err) }); process.exit(2); });
