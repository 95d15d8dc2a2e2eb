// A link's page: Overview tab (status per node, counters, live rate chart) and Settings tab, with the enable
// switch and the delete icon at the upper right.
import { get, linkPath } from './api.js';
import { formatNumber, h, notice, poll, timeOf, trashIcon } from './dom.js';
import { deleteLink, enableSwitch, statusBadge } from './link-actions.js';
import { linkForm } from './link-form.js';
import { rateChart } from './rate-chart.js';

const REFRESH_MS = 3000;

const COUNTERS = [
  ['router.routes', 'Routes', 'topic filters the remote cluster subscribes to here'],
  ['forwarding.matched', 'Matched', 'messages to forward'],
  ['forwarding.success', 'Forwarded', 'acknowledged by the remote cluster'],
  ['forwarding.failed', 'Failed'],
  ['forwarding.dropped', 'Dropped', 'buffer full or older than the TTL'],
  ['forwarding.retried', 'Retried'],
  ['forwarding.queuing', 'Queuing'],
  ['forwarding.inflight', 'Inflight'],
  ['received.accepted', 'Received', 'forwarded to us and published here'],
  ['received.dropped', 'Received, dropped'],
];

// shown only for a link with buffer_mode = durable (metrics.forwarding.buffer is null otherwise)
const BUFFER_COUNTERS = [
  ['forwarding.buffer.backlog_messages', 'Backlog', 'unacknowledged messages in the durable buffer'],
  ['forwarding.buffer.oldest_backlog_age_ms', 'Oldest backlog (s)', 'age of the oldest unacknowledged message',
    (ms) => Math.round(ms / 1000)],
  ['forwarding.replayed_after_restart', 'Replayed', 'sent again from disk after a restart'],
];

export function renderLinkDetail(main, name, tab) {
  const status = notice();
  const base = `#/links/${encodeURIComponent(name)}`;
  // the tabs are links (each tab has its own address), so they are a navigation, not an ARIA tablist
  const tabLink = (id, label, href) => h('a', { href, id: `tab-${id}`, 'aria-current': tab === id ? 'page' : false,
    class: tab === id ? 'tab current' : 'tab', text: label });
  const controls = h('div', { class: 'head-actions' });
  const panel = h('section', { 'aria-labelledby': `tab-${tab}` });
  main.append(
    h('p', { class: 'breadcrumb' }, h('a', { href: '#/links', text: 'Cluster Linking' }), ` / ${name}`),
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1', text: name }), controls),
    h('nav', { class: 'tabs', 'aria-label': `Cluster link ${name}` },
      tabLink('overview', 'Overview', base), tabLink('settings', 'Settings', `${base}/settings`)),
    status.el, panel);

  let current = null; // the link as last drawn, so that Save keeps what the switch set meanwhile
  const drawControls = (link) => {
    current = link;
    const focused = [...controls.querySelectorAll('input, button')].indexOf(document.activeElement);
    drawControlsOf(link);
    // a redraw after a toggle must not drop keyboard focus
    controls.querySelectorAll('input, button')[focused]?.focus();
  };
  const drawControlsOf = (link) => controls.replaceChildren(
    h('label', { class: 'switch-label' }, enableSwitch(link, {
      onChanged: (updated) => {
        status.ok(`${name} ${updated.enable ? 'enabled' : 'disabled'}.`);
        drawControls(updated);
      },
      onError: status.error,
    }), 'Enable'),
    h('button', {
      type: 'button', class: 'icon danger', 'aria-label': `Delete cluster link ${name}`, title: 'Delete',
      onclick: async () => {
        try {
          if (await deleteLink(name)) {
            location.hash = '#/links';
          }
        } catch (e) {
          status.error(`Could not delete ${name}: ${e.message}`);
        }
      },
    }, trashIcon()));

  if (tab === 'settings') {
    get(linkPath(name)).then((link) => {
      drawControls(link);
      const showForm = (l) => panel.replaceChildren(linkForm(l, {
        enabled: () => current.enable,
        cancelHref: base,
        onSaved: (saved) => {
          drawControls(saved);
          showForm(saved);
          status.ok(`${name} saved.`);
        },
      }));
      showForm(link);
    }).catch((e) => status.error(`Could not load ${name}: ${e.message}`));
    return null;
  }
  return overview(name, panel, status, drawControls);
}

function overview(name, panel, status, drawControls) {
  const nodes = h('div');
  const counters = h('dl', { class: 'cards counters' });
  const chart = rateChart('Message rates', [
    { key: 'forwarding', label: 'Forwarding', cssClass: 'series-forwarding' },
    { key: 'receiving', label: 'Receiving', cssClass: 'series-receiving' },
  ]);
  panel.append(h('h2', { text: 'Status' }), nodes, h('h2', { text: 'Message transmission' }), counters, chart.el);

  let previous = null;
  let controlsDrawn = false;
  return poll(async () => {
    const [link, m] = await Promise.all([get(linkPath(name)), get(`${linkPath(name)}/metrics`)]);
    if (!controlsDrawn || document.activeElement?.closest('.head-actions') === null) {
      drawControls(link);
      controlsDrawn = true;
    }
    nodes.replaceChildren(nodeTable(link));
    const metrics = m.metrics;
    const shown = metrics.forwarding.buffer ? COUNTERS.concat(BUFFER_COUNTERS) : COUNTERS;
    counters.replaceChildren(...shown.map(([path, label, hint, scale]) => {
      const raw = path.split('.').reduce((o, k) => o?.[k], metrics);
      return h('div', { class: 'card', 'data-metric': path },
        h('dt', { class: 'card-label', text: label, title: hint ?? false }),
        h('dd', { class: 'card-value', text: formatNumber(scale && raw != null ? scale(raw) : raw) }));
    }));
    // rates from the counters' growth between two polls: the same measure for both directions
    const now = performance.now();
    const totals = { forwarding: metrics.forwarding.success, receiving: metrics.received.accepted };
    if (previous) {
      const seconds = (now - previous.at) / 1000;
      const rate = (k) => Math.max(0, (totals[k] - previous.totals[k]) / seconds);
      chart.push({ forwarding: rate('forwarding'), receiving: rate('receiving') });
    }
    previous = { at: now, totals };
    status.clearError();
  }, REFRESH_MS, (e) => status.error(e.status === 404 ? `The cluster link ${name} does not exist.`
    : `Could not load ${name}: ${e.message}`));
}

export function nodeTable(link) {
  return h('table', { class: 'table' },
    h('thead', {}, h('tr', {},
      ['Node', 'Status', 'Last failure reason'].map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, (link.node_status ?? []).map((n) => h('tr', {},
      h('td', { 'data-label': 'Node', text: n.node }),
      h('td', { 'data-label': 'Status' }, statusBadge({ status: n.status })),
      h('td', { 'data-label': 'Last failure reason', class: 'last-failure' }, lastFailure(n))))));
}

/**
 * The node's last failure and when it happened, kept after the link recovered (last_failure_reason and
 * last_failure_at, ISO-8601); a node that does not report them yet shows its current reason, without a time.
 */
function lastFailure(n) {
  const reason = n.last_failure_reason ?? n.reason;
  if (!reason) {
    return '—';
  }
  return n.last_failure_reason && n.last_failure_at
    ? [h('span', { class: 'failure-reason', text: reason }), ' ', h('span', { class: 'failure-at muted' }, '(at ',
      timeOf(n.last_failure_at), ')')]
    : h('span', { class: 'failure-reason', text: reason });
}
