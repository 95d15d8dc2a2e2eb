// MQTT.js scenarios against a running Linkgate broker, driven by MqttJsInteropTest.
//
//   node scenario.mjs <scenario> '<json args>'     args: {"tcpPort": n, "wsPort": n, ...scenario options}
//
// Prints one JSON object per line on stdout (what the clients observed) and leaves the judging to the Java test.
// Exits 0 when the scenario ran to its end, 1 (after an {"type":"error"} line) when a step failed or timed out.
import mqtt from 'mqtt';

const [, , scenarioName, argJson] = process.argv;
const args = JSON.parse(argJson ?? '{}');
const clients = [];

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function url(transport) {
  return transport === 'ws'
    ? `ws://127.0.0.1:${args.wsPort}/mqtt`
    : `mqtt://127.0.0.1:${args.tcpPort}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A received PUBLISH as plain JSON: the resolved topic, what was on the wire, and the MQTT 5 properties. */
function describe(topic, payload, packet) {
  const props = packet.properties ? { ...packet.properties } : {};
  if (props.correlationData) {
    props.correlationData = props.correlationData.toString('utf8');
  }
  return {
    topic,
    wireTopic: packet.topic.toString(),
    payload: payload.toString('utf8'),
    qos: packet.qos,
    retain: packet.retain,
    dup: packet.dup,
    properties: props,
    at: Date.now(),
  };
}

/** Connects and resolves with {client, connack, messages, waitFor}; every PUBLISH received is kept in order. */
function connect(options = {}) {
  const { transport = 'tcp', ...rest } = options;
  const client = mqtt.connect(url(transport), {
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    clean: true,
    ...rest,
  });
  clients.push(client);
  const messages = [];
  const waiters = [];
  client.on('message', (topic, payload, packet) => {
    messages.push(describe(topic, payload, packet));
    for (const w of [...waiters]) {
      w();
    }
  });
  /** Resolves with the index of the first message from `from` on that matches. */
  const waitFor = (predicate, what, from = 0, ms = 5000) => withTimeout(new Promise((resolve) => {
    const check = () => {
      const i = messages.findIndex((m, idx) => idx >= from && predicate(m));
      if (i >= 0) {
        waiters.splice(waiters.indexOf(check), 1);
        resolve(i);
      }
    };
    waiters.push(check);
    check();
  }), ms, `${options.clientId ?? 'client'} waiting for ${what}`);
  return withTimeout(new Promise((resolve, reject) => {
    client.once('connect', (connack) => resolve({ client, connack, messages, waitFor }));
    client.once('error', reject);
  }), 6000, `connect ${options.clientId ?? ''}`);
}

const closed = (client) => new Promise((resolve) => {
  if (client.disconnected) {
    resolve();
  } else {
    client.once('close', resolve);
  }
});

// ---------------------------------------------------------------------------------------------------------------------

const scenarios = {
  /** N messages at one QoS from one client to another; {version, transport, qos, count}. */
  async pubsub({ version, transport, qos, count }) {
    const prefix = `js/${version}/${transport}/${qos}`;
    const sub = await connect({ protocolVersion: version, transport, clientId: `${prefix}/sub` });
    const pub = await connect({ protocolVersion: version, transport, clientId: `${prefix}/pub` });
    const granted = await sub.client.subscribeAsync(`${prefix}/#`, { qos });
    out({ type: 'suback', granted: granted.map((g) => g.qos) });
    for (let i = 0; i < count; i++) {
      await pub.client.publishAsync(`${prefix}/t`, `m${i}`, { qos });
    }
    await sub.waitFor((m) => m.payload === `m${count - 1}`, 'last message');
    for (const m of sub.messages) {
      out({ type: 'message', ...m });
    }
  },

  /** Retain handling 0/1/2 and retain-as-published (MQTT 5). */
  async retainHandling() {
    const pub = await connect({ clientId: 'js-rh-pub' });
    await pub.client.publishAsync('rh/x', 'kept', { qos: 1, retain: true });
    // what arrives at a client between one of its SUBSCRIBEs and a marker published after its SUBACK
    const step = async (name, c, filter, opts, markerTopic) => {
      const from = c.messages.length;
      const granted = await c.client.subscribeAsync(filter, { qos: 1, ...opts });
      await pub.client.publishAsync(markerTopic, `marker-${name}`, { qos: 1 });
      const end = await c.waitFor((m) => m.payload === `marker-${name}`, `marker-${name}`, from);
      out({ type: 'step', step: name, granted: granted.map((g) => g.qos), messages: c.messages.slice(from, end) });
    };
    const c0 = await connect({ clientId: 'js-rh0' });
    await step('rh0-first', c0, 'rh/#', { rh: 0 }, 'rh/marker');
    await step('rh0-again', c0, 'rh/#', { rh: 0 }, 'rh/marker');
    const c1 = await connect({ clientId: 'js-rh1' });
    await step('rh1-first', c1, 'rh/#', { rh: 1 }, 'rh/marker');
    await step('rh1-again', c1, 'rh/#', { rh: 1 }, 'rh/marker');
    const c2 = await connect({ clientId: 'js-rh2' });
    await step('rh2', c2, 'rh/#', { rh: 2 }, 'rh/marker');

    const rapTrue = await connect({ clientId: 'js-rap-true' });
    const rapFalse = await connect({ clientId: 'js-rap-false' });
    await rapTrue.client.subscribeAsync('rap/#', { qos: 1, rap: true });
    await rapFalse.client.subscribeAsync('rap/#', { qos: 1, rap: false });
    await pub.client.publishAsync('rap/x', 'live', { qos: 1, retain: true });
    await rapTrue.waitFor((m) => m.payload === 'live', 'live (rap true)');
    await rapFalse.waitFor((m) => m.payload === 'live', 'live (rap false)');
    out({ type: 'step', step: 'rap-true-live', messages: rapTrue.messages });
    out({ type: 'step', step: 'rap-false-live', messages: rapFalse.messages });
    const late = await connect({ clientId: 'js-rap-late' });
    await step('rap-false-on-subscribe', late, 'rap/#', { rap: false }, 'rap/marker');
  },

  /** No Local: a client's own messages are not sent back to it, other clients' are. */
  async noLocal() {
    const a = await connect({ clientId: 'js-nl-a' });
    const b = await connect({ clientId: 'js-nl-b' });
    await a.client.subscribeAsync('nl/#', { qos: 1, nl: true });
    await b.client.subscribeAsync('nl/#', { qos: 1 });
    await a.client.publishAsync('nl/a', 'fromA', { qos: 1 });
    await b.client.publishAsync('nl/b', 'fromB', { qos: 1 });
    await a.waitFor((m) => m.payload === 'fromB', 'fromB at A');
    await b.waitFor((m) => m.payload === 'fromB', 'fromB at B');
    await b.waitFor((m) => m.payload === 'fromA', 'fromA at B');
    out({ type: 'received', client: 'a', messages: a.messages });
    out({ type: 'received', client: 'b', messages: b.messages });
  },

  /** Subscription identifiers come back on the messages their subscription matched. */
  async subscriptionIds() {
    const s = await connect({ clientId: 'js-sid' });
    const pub = await connect({ clientId: 'js-sid-pub' });
    await s.client.subscribeAsync('sid/a/#', { qos: 1, properties: { subscriptionIdentifier: 7 } });
    await s.client.subscribeAsync('sid/+/x', { qos: 1, properties: { subscriptionIdentifier: 9 } });
    await s.client.subscribeAsync('sid/none/#', { qos: 1 });
    for (const t of ['sid/a/x', 'sid/b/x', 'sid/a/y', 'sid/none/z', 'sid/a/end']) {
      await pub.client.publishAsync(t, t, { qos: 1 });
    }
    await s.waitFor((m) => m.topic === 'sid/a/end', 'sid/a/end');
    out({ type: 'received', messages: s.messages });
  },

  /** The client sets topic aliases; the broker must resolve them for other subscribers. */
  async topicAliasClientToServer() {
    const sub = await connect({ clientId: 'js-tac-sub' });
    await sub.client.subscribeAsync('tac/#', { qos: 1 });
    const pub = await connect({ clientId: 'js-tac-pub' });
    out({ type: 'connack', properties: pub.connack.properties ?? {} });
    await pub.client.publishAsync('tac/x', 'one', { qos: 1, properties: { topicAlias: 1 } });
    await pub.client.publishAsync('', 'two', { qos: 1, properties: { topicAlias: 1 } });
    await pub.client.publishAsync('tac/y', 'three', { qos: 1, properties: { topicAlias: 1 } }); // re-mapped
    await pub.client.publishAsync('', 'four', { qos: 0, properties: { topicAlias: 1 } });
    await pub.client.publishAsync('tac/z', 'five', { qos: 2, properties: { topicAlias: 2 } });
    await pub.client.publishAsync('', 'six', { qos: 2, properties: { topicAlias: 2 } });
    await sub.waitFor((m) => m.payload === 'six', 'six');
    out({ type: 'received', messages: sub.messages });
  },

  /** The client allows 10 topic aliases; the broker may use them, MQTT.js resolves them. */
  async topicAliasServerToClient() {
    const errors = [];
    const aliased = await connect({ clientId: 'js-tas-aliased', properties: { topicAliasMaximum: 10 } });
    const plain = await connect({ clientId: 'js-tas-plain' });
    for (const c of [aliased, plain]) {
      c.client.on('error', (e) => errors.push(e.message));
    }
    await aliased.client.subscribeAsync('tas/#', { qos: 1 });
    await plain.client.subscribeAsync('tas/#', { qos: 1 });
    const pub = await connect({ clientId: 'js-tas-pub' });
    const topics = ['tas/x', 'tas/x', 'tas/x', 'tas/y', 'tas/y', 'tas/x', 'tas/z'];
    for (let i = 0; i < topics.length; i++) {
      await pub.client.publishAsync(topics[i], `p${i}`, { qos: i % 2 });
    }
    const last = `p${topics.length - 1}`;
    await aliased.waitFor((m) => m.payload === last, 'last (aliased)');
    await plain.waitFor((m) => m.payload === last, 'last (plain)');
    out({ type: 'received', client: 'aliased', messages: aliased.messages });
    out({ type: 'received', client: 'plain', messages: plain.messages });
    out({ type: 'errors', errors });
  },

  /** Message expiry while queued for an offline persistent session. */
  async messageExpiry() {
    const opts = { clientId: 'js-exp', clean: false, properties: { sessionExpiryInterval: 60 } };
    const first = await connect(opts);
    await first.client.subscribeAsync('exp/#', { qos: 1 });
    await first.client.endAsync();
    const pub = await connect({ clientId: 'js-exp-pub' });
    await pub.client.publishAsync('exp/short', 'short', { qos: 1, properties: { messageExpiryInterval: 1 } });
    await pub.client.publishAsync('exp/long', 'long', { qos: 1, properties: { messageExpiryInterval: 60 } });
    await pub.client.publishAsync('exp/none', 'none', { qos: 1 });
    await sleep(2100);
    const back = await connect(opts);
    out({ type: 'connack', sessionPresent: back.connack.sessionPresent });
    await back.waitFor((m) => m.topic === 'exp/none', 'exp/none');
    out({ type: 'received', messages: back.messages });
  },

  /** A second connection with the same client id takes the session over; {version}. */
  async takeover({ version }) {
    const first = await connect({ protocolVersion: version, clientId: 'js-take' });
    const seen = { disconnectPacket: null, closed: false };
    first.client.on('disconnect', (packet) => {
      seen.disconnectPacket = { reasonCode: packet.reasonCode ?? null };
    });
    const firstClosed = closed(first.client).then(() => {
      seen.closed = true;
    });
    first.client.on('error', () => {});
    const second = await connect({ protocolVersion: version, clientId: 'js-take' });
    await withTimeout(firstClosed, 5000, 'first connection to be closed');
    await sleep(100);
    out({ type: 'first', ...seen });
    out({ type: 'second', connected: second.client.connected });
  },

  /** MQTT 5 CONNECT with an empty client id gets an Assigned Client Identifier. */
  async assignedClientId() {
    const a = await connect({ clientId: '' });
    const b = await connect({ clientId: '' });
    out({
      type: 'connack',
      ids: [a.connack.properties?.assignedClientIdentifier ?? null, b.connack.properties?.assignedClientIdentifier ?? null],
    });
    // the assigned id is the session's: a message published to a subscription made on it arrives
    await a.client.subscribeAsync('assigned/#', { qos: 1 });
    await b.client.publishAsync('assigned/x', 'hello', { qos: 1 });
    await a.waitFor((m) => m.payload === 'hello', 'hello');
    out({ type: 'received', messages: a.messages });
  },

  /** Will Delay Interval: the will is sent after the delay, unless the client comes back first. */
  async willDelay() {
    const watcher = await connect({ clientId: 'js-wd-watch' });
    await watcher.client.subscribeAsync('wd/#', { qos: 1 });
    const willing = (id, topic) => connect({
      clientId: id,
      properties: { sessionExpiryInterval: 60 },
      will: { topic, payload: Buffer.from(`gone-${id}`), qos: 1, retain: false, properties: { willDelayInterval: 2 } },
    });
    const dropped = await willing('js-wd-dropped', 'wd/dropped');
    const back = await willing('js-wd-back', 'wd/back');
    const t0 = Date.now();
    for (const c of [dropped, back]) {
      c.client.on('error', () => {});
      c.client.stream.destroy(); // no DISCONNECT: the will stands
    }
    await sleep(500);
    const again = await connect({ clientId: 'js-wd-back', clean: false, properties: { sessionExpiryInterval: 60 } });
    out({ type: 'reconnected', sessionPresent: again.connack.sessionPresent, afterMs: Date.now() - t0 });
    await watcher.waitFor((m) => m.topic === 'wd/dropped', 'will of js-wd-dropped', 0, 8000);
    await sleep(Math.max(0, t0 + 3500 - Date.now()));
    await again.client.publishAsync('wd/marker', 'marker', { qos: 1 });
    await watcher.waitFor((m) => m.topic === 'wd/marker', 'marker');
    out({ type: 'received', messages: watcher.messages.map((m) => ({ ...m, afterMs: m.at - t0 })) });
  },
};

// ---------------------------------------------------------------------------------------------------------------------

const scenario = scenarios[scenarioName];
if (!scenario) {
  out({ type: 'error', message: `unknown scenario ${scenarioName}; known: ${Object.keys(scenarios).join(', ')}` });
  process.exit(2);
}
try {
  await scenario(args);
  out({ type: 'done' });
} catch (e) {
  out({ type: 'error', message: String(e?.stack ?? e) });
  process.exitCode = 1;
} finally {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
  process.exit();
}
