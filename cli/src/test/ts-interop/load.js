// Echo load driven by the official TypeScript RMB client (@threefold/rmb_direct_client): keeps
// <inFlight> requests with a <payloadBytes>-byte JSON string payload in flight to <dstTwin> for
// <warmupS> + <measureS> seconds, then prints ONE JSON line: round trips/s and latency
// percentiles over the measured window. Used by benchmarks io.rmb.benchmarks.load.TsClientEcho.
//
// usage: node load.js <relayUrl> <twinsFile> <mnemonic> <keyType> <dstTwin> <inFlight> <payloadBytes> <warmupS> <measureS>
//
// The client's read() polls its response map once a second: its latency is about 1 s by
// design, so its throughput is bounded by inFlight per second until its crypto saturates.
"use strict";
const { Client } = require("@threefold/rmb_direct_client");
const { fakeChain } = require("./fake-chain");

const [relayUrl, twinsFile, mnemonic, keyType, dstTwin, inFlightArg, sizeArg, warmupArg,
  measureArg] = process.argv.slice(2);
const inFlight = Number(inFlightArg);
const payload = JSON.stringify("x".repeat(Math.max(0, Number(sizeArg) - 2)));

async function main() {
  const client = new Client("ws://127.0.0.1:1/no-chain", relayUrl, mnemonic, "tsload", keyType, 2);
  client.tfclient = fakeChain(twinsFile);
  await client.connect();
  const start = Date.now();
  const measureFrom = start + Number(warmupArg) * 1000;
  const measureUntil = measureFrom + Number(measureArg) * 1000;
  const latencies = [];
  let failed = 0;
  let cpuAtStart = null;
  async function worker() {
    while (Date.now() < measureUntil) {
      const t0 = Date.now();
      try {
        const id = await client.send("echo", payload, Number(dstTwin), 1);
        const data = await client.read(id);
        if (data !== JSON.parse(payload)) throw new Error("echo mismatch");
        const t1 = Date.now();
        if (t0 >= measureFrom && t1 <= measureUntil) latencies.push(t1 - t0);
      } catch (e) {
        failed++;
      }
    }
  }
  setTimeout(() => { cpuAtStart = process.cpuUsage(); }, Math.max(0, measureFrom - Date.now()));
  await Promise.all(Array.from({ length: inFlight }, worker));
  const cpu = process.cpuUsage(cpuAtStart);
  latencies.sort((a, b) => a - b);
  const pct = p => latencies.length ? latencies[Math.min(latencies.length - 1,
    Math.floor(p * latencies.length))] : null;
  const seconds = Number(measureArg);
  process.stdout.write(JSON.stringify({
    ok: true,
    inFlight,
    roundTrips: latencies.length,
    perSecond: latencies.length / seconds,
    perCpuSecond: latencies.length / ((cpu.user + cpu.system) / 1e6),
    p50ms: pct(0.5),
    p99ms: pct(0.99),
    failed,
  }) + "\n");
  process.exit(0);
}

main().catch(err => {
  process.stdout.write(JSON.stringify({ ok: false, error: String(err && err.stack || err) }) + "\n");
  process.exit(2);
});
