// The node's Overview page: connections, subscriptions, messages in/out and active alarms, refreshed every 5 s.
import { get } from './api.js';
import { formatDuration, formatNumber, h, notice, poll } from './dom.js';

const REFRESH_MS = 5000;

const CARDS = [
  ['connections', 'Connections'],
  ['subscriptions', 'Subscriptions'],
  ['sessions', 'Sessions'],
  ['received', 'Messages in', 'received_msg_rate'],
  ['sent', 'Messages out', 'sent_msg_rate'],
  ['dropped', 'Dropped deliveries', 'dropped_msg_rate'],
  ['retained_msg_count', 'Retained messages'],
];

export function renderNodeOverview(main) {
  const status = notice();
  const nodeLine = h('p', { class: 'muted' });
  const cards = h('div', { class: 'cards' });
  const alarms = h('div');
  main.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1', text: 'Overview' })),
    nodeLine, status.el, cards,
    h('section', { 'aria-labelledby': 'alarms-title' },
      h('h2', { id: 'alarms-title', text: 'Active alarms' }), alarms));

  return poll(async () => {
    const [monitor, nodes, alarmList] = await Promise.all([
      get('/monitor_current'), get('/nodes'), get('/alarms?activated=true')]);
    const node = nodes[0] ?? {};
    nodeLine.textContent = `Node ${node.node} · cluster ${node.cluster} · version ${node.version} · `
      + `up ${formatDuration(node.uptime ?? 0)}`;
    cards.replaceChildren(...CARDS.map(([key, label, rateKey]) =>
      card(label, monitor[key], rateKey && monitor[rateKey], key)));
    alarms.replaceChildren(alarmTable(alarmList.data ?? []));
    status.clearError();
  }, REFRESH_MS, (e) => status.error(`Could not load the node's figures: ${e.message}`));
}

function card(label, value, rate, key) {
  return h('div', { class: 'card', 'data-metric': key },
    h('span', { class: 'card-label', text: label }),
    h('span', { class: 'card-value', text: formatNumber(value) }),
    rate === undefined ? null : h('span', { class: 'card-rate muted', text: `${formatNumber(rate)} msg/s` }));
}

function alarmTable(list) {
  if (list.length === 0) {
    return h('p', { class: 'muted', text: 'No active alarms.' });
  }
  return h('table', { class: 'table' },
    h('thead', {}, h('tr', {}, ['Name', 'Message', 'Since'].map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, list.map((a) => h('tr', {},
      h('td', { 'data-label': 'Name', text: a.name }),
      h('td', { 'data-label': 'Message', text: a.message }),
      h('td', { 'data-label': 'Since', text: new Date(a.activate_at).toLocaleString() })))));
}
