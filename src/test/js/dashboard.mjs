// The web dashboard in headless Chromium (playwright-core), driven by DashboardTest against two real Linkgates.
//
//   node dashboard.mjs '<json args>'   args: {url, username, password, linkName, linkServer, linkPassword,
//                                             deadServer, mqttA, mqttB, chromium, screenshots}
//
// Cluster A serves the dashboard; cluster B already has a link to A for fromA/#. The operator logs in, creates A's
// link to B, meets an API error, toggles, sees a link that is down (reason, alarm), edits, watches the link's
// counters while MQTT.js clients exchange messages across the link, deletes it and logs out. Each step asserts on
// the page; one JSON object per line goes to stdout for the Java test ({"type":"edited"} lets it check the server
// mid-way). Exit 0 after {"type":"done"}, 1 after {"type":"error"}.
import { chromium } from 'playwright-core';
import mqtt from 'mqtt';

const args = JSON.parse(process.argv[2] ?? '{}');
const out = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const clients = [];

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** Polls fn until it returns a truthy value; fails with `what` and the last value seen. */
async function until(what, fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn().catch((e) => `(${e.message})`);
    if (last && last !== 'false' && !(typeof last === 'string' && last.startsWith('('))) {
      return last;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    }
    await sleep(200);
  }
}

async function shot(page, name) {
  await page.screenshot({ path: `${args.screenshots}/${name}.png`, fullPage: true });
}

async function connect(port, id) {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId: id, protocolVersion: 5, reconnectPeriod: 0 });
  clients.push(client);
  await new Promise((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  return client;
}

async function subscribe(client, filter) {
  await new Promise((resolve, reject) => client.subscribe(filter, { qos: 1 }, (e) => (e ? reject(e) : resolve())));
}

const metric = (main, path) => main.locator(`[data-metric="${path}"] .card-value`);
const numberIn = async (locator) => Number((await locator.textContent()).replace(/,/g, ''));

/** The text of the element an input names in aria-describedby as its error slot. */
async function errorOf(input) {
  const ids = (await input.getAttribute('aria-describedby')) ?? '';
  const page = input.page();
  for (const id of ids.split(/\s+/).filter((i) => i.includes('error'))) {
    const text = await page.locator(`[id="${id}"]`).textContent();
    if (text) {
      return text;
    }
  }
  return '';
}

async function login(page) {
  await page.goto(args.url);
  await page.getByRole('heading', { name: 'Linkgate' }).waitFor();
  await shot(page, '01-login');
  check(await page.evaluate(() => document.activeElement?.id === 'login-username'), 'the username field has no focus');
  // keyboard only: type, Tab, type, Enter
  await page.keyboard.type(args.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type('not-the-password');
  await page.keyboard.press('Enter');
  await until('the login error',
    async () => (await page.locator('#login-error').textContent()) === 'Wrong username or password.');
  await page.locator('#login-password').fill(args.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
}

async function nodeOverview(page, main) {
  await until('the connection count', async () => /^\d/.test(await metric(main, 'connections').textContent()));
  for (const label of ['Connections', 'Subscriptions', 'Messages in', 'Messages out']) {
    check(await main.getByText(label, { exact: true }).isVisible(), `no "${label}" on the Overview page`);
  }
  await main.getByRole('heading', { name: 'Active alarms' }).waitFor();
  await main.getByText('No active alarms.').waitFor();
  await shot(page, '02-overview');
}

async function createWithBadTopicThenFix(page, main) {
  await page.getByRole('navigation').getByRole('link', { name: 'Cluster Linking' }).click();
  await main.getByRole('heading', { name: 'Cluster Linking' }).waitFor();
  await main.getByText('No cluster links yet').waitFor();
  await shot(page, '03-links-empty');

  await main.getByRole('link', { name: 'Create' }).click();
  await main.getByRole('heading', { name: 'Create Cluster Link' }).waitFor();
  await requiredFieldsAreMarked(main);
  await main.getByLabel('Cluster Name').fill(args.linkName);
  await main.getByLabel('Server').fill(args.linkServer);
  await main.getByLabel('Client ID Prefix').fill('dash');
  await main.getByLabel('Username').fill('link-user');
  await main.getByLabel('Password', { exact: true }).fill(args.linkPassword);
  await main.getByLabel('Topic 1', { exact: true }).fill('fromB/#');
  await main.getByRole('button', { name: 'Add topic' }).click();
  check(await main.getByLabel('Topic 2', { exact: true }).evaluate((el) => el === document.activeElement),
    '+ did not focus the new row');
  await page.keyboard.type('bad/#/topic');

  // TLS fields appear with the switch; an uploaded PEM lands in its box
  await main.getByLabel('Enable TLS').check();
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  await main.getByLabel('Upload CA certificate')
    .setInputFiles({ name: 'ca.pem', mimeType: 'text/plain', buffer: Buffer.from(pem) });
  await until('the uploaded CA text',
    async () => (await main.getByLabel('CA certificate', { exact: true }).inputValue()) === pem);
  for (const label of ['Verify peer', 'SNI', 'Client certificate', 'Client key']) {
    check(await main.getByLabel(label, { exact: true }).isVisible(), `no "${label}" field with TLS enabled`);
  }
  await shot(page, '04a-create-tls');
  await main.getByLabel('CA certificate', { exact: true }).fill('');
  await main.getByLabel('Enable TLS').uncheck();
  check(await main.getByLabel('CA certificate', { exact: true }).isHidden(), 'TLS fields still shown with TLS off');

  await main.getByText('Advanced Settings').click();
  for (const label of ['Keepalive', 'Max inflight', 'Retry interval', 'Buffer size', 'TTL']) {
    check(await main.getByLabel(label, { exact: true }).isVisible(), `no "${label}" in Advanced Settings`);
  }
  await main.getByLabel('Connection pool size').fill('2');

  await main.getByRole('button', { name: 'Create', exact: true }).click();
  const topic2 = main.getByLabel('Topic 2', { exact: true });
  await until('the error next to Topic 2', async () => (await topic2.getAttribute('aria-invalid')) === 'true');
  const error = await errorOf(topic2);
  check(error.includes('invalid topic filter "bad/#/topic"'), `error next to Topic 2: "${error}"`);
  check(await errorOf(main.getByLabel('Topic 1', { exact: true })) === '', 'Topic 1 has an error too');
  check(await topic2.evaluate((el) => el === document.activeElement), 'focus did not move to the invalid topic');
  out({ type: 'fieldError', field: 'Topic 2', message: error });
  await shot(page, '04-create-error');

  await main.getByRole('button', { name: 'Remove topic 2' }).click();
  await main.getByRole('button', { name: 'Create', exact: true }).click();
  await main.getByRole('heading', { name: 'Cluster Linking' }).waitFor();
  await main.getByText(`${args.linkName} created.`).waitFor();
}

/** Cluster Name and Server carry a visible star and the required attribute; optional fields neither. */
async function requiredFieldsAreMarked(main) {
  for (const label of ['Cluster Name', 'Server']) {
    // by its accessible name: the star is for the eye and must not change what a screen reader says
    const input = main.getByRole('textbox', { name: label, exact: true });
    check(await input.getAttribute('required') !== null, `${label} is not marked required for assistive technology`);
    const star = await input.evaluate((el) => el.labels[0].querySelector('.required-mark')?.textContent ?? '');
    check(star.includes('*'), `the label of ${label} has no required mark`);
  }
  for (const label of ['Client ID Prefix', 'Username']) {
    const input = main.getByLabel(label, { exact: true });
    check(await input.getAttribute('required') === null, `${label} is marked required`);
    check(await input.evaluate((el) => el.labels[0].querySelector('.required-mark') === null), `${label} has a star`);
  }
  check(await main.locator('.required-note').isVisible(), 'no note that says what the star means');
}

const row = (main) => main.locator(`tr[data-link="${args.linkName}"]`);
const badge = (scope) => scope.locator('.badge').first();

async function listedThenToggled(page, main) {
  const r = row(main);
  await r.waitFor();
  const text = await r.textContent();
  check(text.includes(args.linkServer) && text.includes('fromB/#'), `row: ${text}`);
  const toggle = main.getByRole('switch', { name: `Enable cluster link ${args.linkName}` });
  check(await toggle.isChecked(), 'the new link is not enabled');
  await until('status running', async () => (await badge(r).textContent()) === 'running', 20000);
  await shot(page, '05-links');

  await toggle.click();
  await main.getByText(`${args.linkName} disabled.`).waitFor();
  await until('status stopped', async () => (await badge(row(main)).textContent()) === 'stopped');
  check(!(await toggle.isChecked()), 'the switch is still on');
  await shot(page, '06-link-disabled');
  // back on with the keyboard: Space on the focused switch, which keeps focus through the redraw
  await toggle.focus();
  await page.keyboard.press('Space');
  await main.getByText(`${args.linkName} enabled.`).waitFor();
  await until('status running again', async () => (await badge(row(main)).textContent()) === 'running', 20000);
  check(await toggle.evaluate((el) => el === document.activeElement), 'the switch lost focus after the redraw');

  // Delete asks first; Cancel keeps the link
  await main.getByRole('button', { name: `Delete ${args.linkName}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`Delete the cluster link "${args.linkName}"?`).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await sleep(300);
  check(await row(main).isVisible(), 'the link is gone after Cancel');
}

/** The REST API with the operator's credentials, as another operator or a script would use it meanwhile. */
async function rest(method, path, body) {
  const res = await fetch(`${args.url}api/v5${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${args.username}:${args.password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  }
  return res.status === 204 ? null : res.json();
}

/** A link disabled and enabled again through the API, not the page: the open list follows by itself. */
async function listFollowsChangesMadeElsewhere(page, main) {
  const toggle = main.getByRole('switch', { name: `Enable cluster link ${args.linkName}` });
  await until('status running', async () => (await badge(row(main)).textContent()) === 'running', 20000);
  const link = await rest('GET', `/cluster/links/link/${args.linkName}`);
  delete link.status;
  delete link.node_status;
  const reloads = [];
  const onNavigate = (frame) => { if (frame === page.mainFrame()) reloads.push(frame.url()); };
  page.on('framenavigated', onNavigate);
  try {
    await rest('PUT', `/cluster/links/link/${args.linkName}`, { ...link, enable: false });
    const stoppedAfter = Date.now();
    await until('the list to show the link stopped', async () => (await badge(row(main)).textContent()) === 'stopped'
      && !(await toggle.isChecked()), 10000);
    out({ type: 'listRefresh', change: 'disabled', ms: Date.now() - stoppedAfter });
    await rest('PUT', `/cluster/links/link/${args.linkName}`, { ...link, enable: true });
    await until('the list to show the link running again',
      async () => (await badge(row(main)).textContent()) === 'running' && await toggle.isChecked(), 20000);
  } finally {
    page.off('framenavigated', onNavigate);
  }
  check(reloads.length === 0, `the page was reloaded: ${reloads}`);
}

/** A link to a port nobody listens on: its status and the node's alarms say why it is down; deleted from the list. */
async function aLinkThatIsDown(page, main) {
  await main.getByRole('link', { name: 'Create' }).click();
  await main.getByLabel('Cluster Name').fill('C');
  await main.getByLabel('Server').fill(args.deadServer);
  await main.getByRole('button', { name: 'Create', exact: true }).click();
  const r = main.locator('tr[data-link="C"]');
  await r.waitFor();
  const reason = await until('the reason C is down', async () => r.locator('.status-reason').textContent(), 15000);
  check(!(await r.textContent()).includes('running'), `C is running: ${await r.textContent()}`);
  out({ type: 'downReason', reason });
  await shot(page, '06b-link-down');

  await r.getByRole('link', { name: 'C', exact: true }).click();
  const failure = main.locator('td.last-failure').first();
  await until('the last failure reason of C', async () => {
    const text = await failure.textContent();
    return text && text !== '—' ? text : false;
  }, 15000);
  await shot(page, '06d-link-down-overview');
  await lastFailureKeepsItsTime(page);
  await page.getByRole('navigation').getByRole('link', { name: 'Cluster Linking' }).click();
  await main.locator('tr[data-link="C"]').waitFor();

  await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
  const alarm = main.getByRole('cell', { name: 'cluster_link:C' });
  await until('the alarm of C', async () => alarm.isVisible(), 15000);
  await shot(page, '06c-overview-alarm');

  await page.getByRole('navigation').getByRole('link', { name: 'Cluster Linking' }).click();
  await main.getByRole('button', { name: 'Delete C' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await main.getByText('C deleted.').waitFor();
  await until('the row of C to go', async () => (await main.locator('tr[data-link="C"]').count()) === 0);
  check(await row(main).isVisible(), `${args.linkName} went with C`);
}

/**
 * The node table as the page draws it, from node_status entries: the last failure (last_failure_reason) with its
 * time (last_failure_at) even while the node runs again; the current reason where a node reports no last failure.
 */
async function lastFailureKeepsItsTime(page) {
  const cells = await page.evaluate(async () => {
    const { nodeTable } = await import('/js/link-detail.js');
    const table = nodeTable({
      node_status: [
        { node: 'n1', status: 'running', reason: null, last_failure_reason: 'connection refused',
          last_failure_at: '2026-12-02T03:04:05Z' },
        { node: 'n2', status: 'disconnected', reason: 'handshake timeout' },
        { node: 'n3', status: 'running' },
      ],
    });
    return [...table.querySelectorAll('td.last-failure')].map((td) => ({
      text: td.textContent, datetime: td.querySelector('time')?.getAttribute('datetime') ?? null,
    }));
  });
  check(cells.length === 3, `cells: ${JSON.stringify(cells)}`);
  check(cells[0].text.includes('connection refused') && cells[0].datetime === '2026-12-02T03:04:05.000Z'
    && /2026-12-0[12] \d\d:\d\d:05/.test(cells[0].text), `a recovered node's last failure: ${JSON.stringify(cells[0])}`);
  check(cells[1].text === 'handshake timeout' && cells[1].datetime === null, `the fallback: ${JSON.stringify(cells[1])}`);
  check(cells[2].text === '—', `a node that never failed: ${JSON.stringify(cells[2])}`);
}

/** Settings' Cancel leaves without saving: back on the Overview, and the form shows the stored values again. */
async function cancelSettings(page, main) {
  await main.getByRole('link', { name: `Settings of ${args.linkName}` }).click();
  await main.locator('a[aria-current="page"]', { hasText: 'Settings' }).waitFor();
  const password = main.getByLabel('Password', { exact: true });
  await until('the stored link in the form', async () => (await password.inputValue()) === '******');
  const server = main.getByRole('textbox', { name: 'Server', exact: true });
  const stored = await server.inputValue();
  await server.fill('127.0.0.1:1');
  await main.getByRole('link', { name: 'Cancel' }).click();
  await main.locator('a[aria-current="page"]', { hasText: 'Overview' }).waitFor();
  await main.getByRole('link', { name: 'Settings', exact: true }).click();
  await until('the stored server again', async () => (await server.inputValue()) === stored);
  const link = await rest('GET', `/cluster/links/link/${args.linkName}`);
  check(link.server === stored, `Cancel changed the link: ${link.server}`);
  await page.getByRole('navigation').getByRole('link', { name: 'Cluster Linking' }).click();
  await row(main).waitFor();
}

async function edit(page, main) {
  await main.getByRole('link', { name: `Settings of ${args.linkName}` }).click();
  await main.locator('a[aria-current="page"]', { hasText: 'Settings' }).waitFor();
  const password = main.getByLabel('Password', { exact: true });
  await until('the stored link in the form', async () => (await password.inputValue()) === '******');
  check(await main.getByLabel('Cluster Name').getAttribute('readonly') !== null, 'the name is editable');
  check(await main.getByLabel('Connection pool size').inputValue() === '2', 'pool size not shown');
  await main.getByRole('button', { name: 'Add topic' }).click();
  await page.keyboard.type('more/#');
  await main.getByText('Advanced Settings').click();
  await main.getByLabel('Max inflight').fill('64');
  // the switch at the top, used while the form is open: saving the form must not undo it
  const toggle = main.getByRole('switch', { name: `Enable cluster link ${args.linkName}` });
  await toggle.click();
  await main.getByText(`${args.linkName} disabled.`).waitFor();
  await main.getByRole('button', { name: 'Save' }).click();
  await main.getByText(`${args.linkName} saved.`).waitFor();
  check(await main.getByLabel('Topic 2', { exact: true }).inputValue() === 'more/#', 'the saved topics are not shown');
  check(!(await toggle.isChecked()), 'Save turned the link back on');
  out({ type: 'edited' });
  await shot(page, '07-settings');
  await toggle.click();
  await main.getByText(`${args.linkName} enabled.`).waitFor();
}

async function watchWhileMessagesFlow(page, main) {
  await main.getByRole('link', { name: 'Overview', exact: true }).click();
  await main.locator('a[aria-current="page"]', { hasText: 'Overview' }).waitFor();
  await until('the counters', async () => /^\d/.test(await metric(main, 'forwarding.success').textContent()));
  const forwardedBefore = await numberIn(metric(main, 'forwarding.success'));
  const receivedBefore = await numberIn(metric(main, 'received.accepted'));

  // real MQTT clients: B subscribes to what A forwards, A subscribes to what B forwards
  const received = { onA: 0, onB: 0 };
  const subB = await connect(args.mqttB, 'dash-sub-b');
  subB.on('message', () => { received.onB++; });
  await subscribe(subB, 'fromA/#');
  const subA = await connect(args.mqttA, 'dash-sub-a');
  subA.on('message', () => { received.onA++; });
  await subscribe(subA, 'fromB/#');
  const pubA = await connect(args.mqttA, 'dash-pub-a');
  const pubB = await connect(args.mqttB, 'dash-pub-b');
  let n = 0;
  const timer = setInterval(() => {
    n++;
    pubA.publish('fromA/x', `a${n}`, { qos: 1 });
    pubB.publish('fromB/x', `b${n}`, { qos: 1 });
  }, 50);
  try {
    await until('forwarded count to rise',
      async () => (await numberIn(metric(main, 'forwarding.success'))) > forwardedBefore, 25000);
    await until('received count to rise',
      async () => (await numberIn(metric(main, 'received.accepted'))) > receivedBefore, 25000);
    await until('a non-zero rate in the chart', async () => {
      const summary = await main.locator('.chart-summary').textContent();
      return /Forwarding: [1-9]/.test(summary) && /Receiving: [1-9]/.test(summary);
    }, 15000);
    await until('a line of several samples', async () => {
      const points = await main.locator('polyline.series-forwarding').getAttribute('points');
      return points.split(' ').length >= 3;
    }, 15000);
    const routes = await numberIn(metric(main, 'router.routes'));
    check(routes >= 1, `routes: ${routes}`);
    const nodeRow = main.locator('table tbody tr').first();
    await until('the node status running', async () => (await nodeRow.textContent()).includes('running'), 20000);
    check(await main.getByRole('switch', { name: `Enable cluster link ${args.linkName}` }).isChecked(), 'switch off');
    out({
      type: 'counters', forwardedBefore, receivedBefore, routes,
      forwardedAfter: await numberIn(metric(main, 'forwarding.success')),
      receivedAfter: await numberIn(metric(main, 'received.accepted')),
    });
    await shot(page, '08-link-overview');
  } finally {
    clearInterval(timer);
  }
  out({ type: 'traffic', published: n, receivedOnA: received.onA, receivedOnB: received.onB });
}

async function narrowWindow(page, main) {
  await page.setViewportSize({ width: 390, height: 800 });
  await main.getByRole('link', { name: 'Cluster Linking' }).click();
  await row(main).waitFor();
  const menu = page.getByRole('button', { name: 'Menu' });
  check(await menu.isVisible(), 'no Menu button on a narrow window');
  check(await page.locator('#nav').isHidden(), 'the menu is not folded on a narrow window');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the list is ${overflow}px wider than a 390px window`);
  await shot(page, '09-links-narrow');
  await main.getByRole('link', { name: args.linkName, exact: true }).click();
  await until('the counters', async () => /^\d/.test(await metric(main, 'router.routes').textContent()));
  const linkOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(linkOverflow <= 0, `the link's Overview is ${linkOverflow}px wider than a 390px window`);
  await shot(page, '09b-link-overview-narrow');
  await menu.click();
  check(await menu.getAttribute('aria-expanded') === 'true', 'Menu not expanded');
  await page.getByRole('navigation').getByRole('link', { name: 'Cluster Linking' }).click();
  check(await page.locator('#nav').isHidden(), 'the menu stayed open after choosing a page');
  await page.setViewportSize({ width: 1280, height: 800 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(wide <= 0, `the list is ${wide}px wider than 1280px`);
}

/** Log out; then a session the API no longer accepts sends the operator back to the login page with a word why. */
async function logoutAndExpiredSession(page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.locator('#login-username').waitFor();
  check(await page.evaluate(() => sessionStorage.length === 0), 'the token survived Log out');
  await page.locator('#login-username').fill(args.username);
  await page.locator('#login-password').fill(args.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('#main').getByRole('heading', { level: 1 }).waitFor();
  await page.evaluate(() => sessionStorage.setItem('linkgate.session',
    JSON.stringify({ token: 'revoked-or-expired', username: 'operator' })));
  await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
  await until('the session-ended message', async () =>
    (await page.locator('#login-error').textContent()).includes('session has ended'));
  check(await page.locator('#app-view').isHidden(), 'the pages stay visible without a valid token');
}

async function deleteFromItsPage(page, main) {
  await main.getByRole('link', { name: args.linkName, exact: true }).click();
  await main.locator('a[aria-current="page"]', { hasText: 'Overview' }).waitFor();
  await main.getByRole('button', { name: `Delete cluster link ${args.linkName}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await main.getByRole('heading', { name: 'Cluster Linking' }).waitFor();
  await main.getByText('No cluster links yet').waitFor();
  await shot(page, '10-deleted');
}

const browser = await chromium.launch({ executablePath: args.chromium, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(10000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    // the browser logs every 4xx response; the wrong password and the bad topic are such on purpose
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      pageErrors.push(m.text());
    }
  });
  const unauthenticated = [];
  page.on('request', (req) => {
    const path = new URL(req.url()).pathname;
    const bearer = (req.headers().authorization ?? '').startsWith('Bearer ');
    if (path.startsWith('/api/') && path !== '/api/v5/login' && !bearer) {
      unauthenticated.push(`${req.method()} ${path}`);
    }
  });
  // every file the page loads exists (the favicon included); API answers are checked by the steps
  const missingFiles = [];
  page.on('response', (res) => {
    const path = new URL(res.url()).pathname;
    if (res.status() === 404 && !path.startsWith('/api/')) {
      missingFiles.push(path);
    }
  });
  const main = page.locator('#main');

  for (const step of [login, nodeOverview, createWithBadTopicThenFix, listedThenToggled,
    listFollowsChangesMadeElsewhere, aLinkThatIsDown, cancelSettings, edit,
    watchWhileMessagesFlow, narrowWindow, deleteFromItsPage, logoutAndExpiredSession]) {
    const started = Date.now();
    await step(page, main);
    out({ type: 'step', step: step.name, ms: Date.now() - started });
  }

  out({ type: 'auth', unauthenticatedApiCalls: unauthenticated });
  out({ type: 'files', missing: missingFiles });
  check(missingFiles.length === 0, `files the page asked for and did not get: ${missingFiles.join(', ')}`);
  check(pageErrors.length === 0, `errors in the page: ${pageErrors.join('; ')}`);
  out({ type: 'done' });
} catch (e) {
  out({ type: 'error', message: String(e.stack ?? e) });
  process.exitCode = 1;
} finally {
  clients.forEach((c) => c.end(true));
  await browser.close();
}
