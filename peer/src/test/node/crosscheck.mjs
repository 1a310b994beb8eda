// Independent cross-check of the Java RMB peer stack, run by NodeCrossCheckIT.
//
// Reads a JSON request written by the Java test, verifies every envelope and JWT the Java code
// signed (challenge computed here from the spec, signatures checked with @scure/sr25519 and
// @noble/curves), signs envelopes and JWTs with its own keys for Java to verify, and does the
// e2e (secp256k1 ECDH + AES-256-GCM) exchange in both directions with node:crypto.
//
// usage: node crosscheck.mjs REQUEST.json RESPONSE.json TYPES.proto
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash, createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as sr25519 from '@scure/sr25519';
import { ed25519 } from '@noble/curves/ed25519.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import protobuf from 'protobufjs';

const [requestPath, responsePath, protoPath] = process.argv.slice(2);
if (!requestPath || !responsePath || !protoPath) {
  console.error('usage: node crosscheck.mjs REQUEST.json RESPONSE.json TYPES.proto');
  process.exit(2);
}

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const unhex = (text) => new Uint8Array(Buffer.from(text, 'hex'));
const utf8 = (text) => Buffer.from(text, 'utf8');
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

const root = protobuf.loadSync(protoPath);
const Envelope = root.lookupType('Envelope');

const has = (obj, field) => obj != null && Object.prototype.hasOwnProperty.call(obj, field);

// wire.md section 3, written from the spec, not from the Java code.
function challenge(env) {
  const parts = [];
  const text = (s) => parts.push(utf8(s));
  const num = (n) => parts.push(utf8(BigInt(n.toString()).toString(10)));
  text(env.uid || '');
  if (has(env, 'tags')) text(env.tags);
  num(env.timestamp || 0);
  num(env.expiration || 0);
  for (const addr of [env.source, env.destination]) {
    num(addr ? addr.twin || 0 : 0);
    if (addr && has(addr, 'connection')) text(addr.connection);
  }
  if (env.request) text(env.request.command || '');
  if (env.error) {
    num(env.error.code || 0);
    text(env.error.message || '');
  }
  if (has(env, 'schema')) text(env.schema);
  if (has(env, 'federation')) text(env.federation);
  if (env.plain) parts.push(Buffer.from(env.plain));
  if (env.cipher) parts.push(Buffer.from(env.cipher));
  for (const relay of env.relays || []) text(relay);
  return new Uint8Array(createHash('md5').update(Buffer.concat(parts)).digest());
}

// Strict prefix dispatch, as rmb-rs does.
function verifySignature(publicKey, message, sig65) {
  if (sig65.length !== 65) return false;
  const sig = sig65.slice(1);
  try {
    if (sig65[0] === 0x73) return sr25519.verify(message, sig, publicKey);
    if (sig65[0] === 0x65) return ed25519.verify(sig, message, publicKey);
  } catch (e) {
    return false;
  }
  return false;
}

function sign(key, message) {
  const sig = key.type === 'sr25519'
    ? sr25519.sign(key.secret, message)
    : ed25519.sign(message, key.secret);
  const out = new Uint8Array(65);
  out[0] = key.type === 'sr25519' ? 0x73 : 0x65;
  out.set(sig, 1);
  return out;
}

function nodeKey(spec) {
  const seed = unhex(spec.seed);
  if (spec.key_type === 'sr25519') {
    const secret = sr25519.secretFromSeed(seed);
    return { type: 'sr25519', secret, publicKey: sr25519.getPublicKey(secret) };
  }
  return { type: 'ed25519', secret: seed, publicKey: ed25519.getPublicKey(seed) };
}

function verifyJwt(token, publicKey) {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false };
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  const sig = new Uint8Array(Buffer.from(parts[2], 'base64url'));
  const ok = header.alg === 'RS512'
    && verifySignature(publicKey, utf8(parts[0] + '.' + parts[1]), sig);
  return { ok, claims };
}

function sharedKey(secret, peerPublicKey) {
  const point = secp256k1.getSharedSecret(secret, peerPublicKey, true);
  return createHash('sha256').update(point.slice(1, 33)).digest();
}

function aesEncrypt(key, plaintext) {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

function aesDecrypt(key, payload) {
  const decipher = createDecipheriv('aes-256-gcm', key, payload.subarray(0, 12));
  decipher.setAuthTag(payload.subarray(payload.length - 16));
  return Buffer.concat([decipher.update(payload.subarray(12, payload.length - 16)),
    decipher.final()]);
}

const request = JSON.parse(readFileSync(requestPath, 'utf8'));
const response = { verified: [], node_signed: [], e2e: {} };

for (const item of request.java_signed) {
  const publicKey = unhex(item.public_key);
  if (item.kind === 'envelope') {
    const env = Envelope.decode(unhex(item.bytes));
    const digest = challenge(env);
    const ok = has(env, 'signature') && verifySignature(publicKey, digest, env.signature);
    response.verified.push({ id: item.id, ok, challenge: hex(digest) });
  } else if (item.kind === 'jwt') {
    const { ok, claims } = verifyJwt(item.token, publicKey);
    response.verified.push({ id: item.id, ok, claims });
  } else {
    throw new Error('unknown item kind ' + item.kind);
  }
}

const now = Math.floor(Date.now() / 1000);
for (const spec of request.node_keys) {
  const key = nodeKey(spec);
  const variants = [
    { name: 'request', fields: { request: { command: 'zos.system.version' },
      schema: 'application/json', plain: utf8('{"ver":1}') } },
    { name: 'response', fields: { response: {}, plain: utf8('"ok"'), tags: 't',
      destination: { twin: 11, connection: 'sid-1' } } },
    { name: 'error', fields: { error: { code: 404, message: 'not found: ünïcode' } } },
    { name: 'relays', fields: { request: { command: 'x' }, federation: 'relay.example',
      relays: ['a.example', 'b.example'], cipher: randomBytes(40) } },
  ];
  for (const variant of variants) {
    const fields = Object.assign({
      uid: `node-${spec.key_type}-${variant.name}`,
      timestamp: now,
      expiration: 300,
      source: { twin: request.twin },
      destination: { twin: 11 },
    }, variant.fields);
    const message = Envelope.fromObject(fields);
    message.signature = sign(key, challenge(message));
    response.node_signed.push({
      id: `${spec.key_type}-${variant.name}`, kind: 'envelope', key_type: spec.key_type,
      public_key: hex(key.publicKey), bytes: hex(Envelope.encode(message).finish()),
    });
  }
  // JWT exactly as the TS client builds it
  const header = b64url(utf8(JSON.stringify({ alg: 'RS512', typ: 'JWT' })));
  const claims = b64url(utf8(JSON.stringify({ sub: request.twin, iat: now, exp: now + 300,
    sid: 'node-session' })));
  const signature = sign(key, utf8(header + '.' + claims));
  response.node_signed.push({
    id: `${spec.key_type}-jwt`, kind: 'jwt', key_type: spec.key_type,
    public_key: hex(key.publicKey), token: `${header}.${claims}.${b64url(signature)}`,
  });
}

const e2e = request.e2e;
const nodeSecret = unhex(e2e.node_secret);
const key = sharedKey(nodeSecret, unhex(e2e.java_public_key));
response.e2e.node_public_key = hex(secp256k1.getPublicKey(nodeSecret, true));
response.e2e.shared_key = hex(key);
response.e2e.decrypted = e2e.java_payloads.map((p) => {
  try {
    return { id: p.id, plaintext: hex(aesDecrypt(key, Buffer.from(p.payload, 'hex'))) };
  } catch (e) {
    return { id: p.id, error: String(e) };
  }
});
response.e2e.node_payloads = [utf8(''), utf8('hello from node'), randomBytes(1024)].map((p) => ({
  plaintext: hex(p), payload: hex(aesEncrypt(key, p)),
}));

writeFileSync(responsePath, JSON.stringify(response, null, 1));
console.log(`crosscheck: verified ${response.verified.length} Java items, `
  + `signed ${response.node_signed.length} items`);
