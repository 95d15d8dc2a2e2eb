// Management → Cluster Linking: every link with its server, topics, enable switch, status and actions.
import { get } from './api.js';
import { h, notice, poll } from './dom.js';
import { deleteLink, enableSwitch, statusBadge } from './link-actions.js';

// the list follows the links by itself (a link that connects shows as running without a reload)
const REFRESH_MS = 3000;
let nextNotice = null;

/** A message for the list's next rendering (e.g. "created" after the Create page sends the user back here). */
export function noticeOnList(text) {
  nextNotice = text;
}

export function renderLinkList(main) {
  const status = notice();
  if (nextNotice) {
    status.ok(nextNotice);
    nextNotice = null;
  }
  const body = h('div', { 'aria-busy': 'true' });
  main.append(
    h('div', { class: 'page-head' },
      h('h1', { tabindex: '-1', text: 'Cluster Linking' }),
      h('a', { href: '#/links/new', class: 'button primary', text: 'Create' })),
    status.el, body);

  let busy = false; // a delete in progress
  const refresh = async () => {
    // a switch or a delete in progress must not be redrawn under the user's pointer
    if (busy || body.querySelector('[aria-busy="true"]')) {
      return;
    }
    const links = await get('/cluster/links');
    const focus = rememberFocus(body);
    body.replaceChildren(links.length === 0
      ? h('p', { class: 'muted', text: 'No cluster links yet. Create one to exchange messages with another cluster.' })
      : table(links));
    body.setAttribute('aria-busy', 'false');
    focus();
  };

  function table(links) {
    return h('table', { class: 'table links' },
      h('caption', { class: 'visually-hidden', text: 'Cluster links' }),
      h('thead', {}, h('tr', {}, ['Cluster Name', 'Server', 'Topics', 'Enable', 'Status', 'Actions']
        .map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, links.map(row)));
  }

  function row(link) {
    const path = `#/links/${encodeURIComponent(link.name)}`;
    return h('tr', { 'data-link': link.name },
      h('th', { scope: 'row', 'data-label': 'Cluster Name' }, h('a', { href: path, text: link.name })),
      h('td', { 'data-label': 'Server', text: link.server }),
      h('td', { 'data-label': 'Topics' }, link.topics.length === 0
        ? h('span', { class: 'muted', text: 'none' })
        : h('ul', { class: 'chips' }, link.topics.map((t) => h('li', { text: t })))),
      h('td', { 'data-label': 'Enable' }, enableSwitch(link, {
        onChanged: (updated) => {
          status.ok(`${link.name} ${updated.enable ? 'enabled' : 'disabled'}.`);
          refresh().catch(showError);
        },
        onError: status.error,
      })),
      h('td', { 'data-label': 'Status' }, statusBadge(link)),
      h('td', { 'data-label': 'Actions' }, h('div', { class: 'row-actions' },
        h('a', {
          href: `${path}/settings`, class: 'button', text: 'Settings', 'aria-label': `Settings of ${link.name}`,
        }),
        h('button', {
          type: 'button', class: 'danger', text: 'Delete', 'aria-label': `Delete ${link.name}`,
          onclick: () => remove(link.name),
        }))));
  }

  async function remove(name) {
    busy = true;
    try {
      if (await deleteLink(name)) {
        status.ok(`${name} deleted.`);
      }
    } catch (e) {
      status.error(`Could not delete ${name}: ${e.message}`);
    } finally {
      busy = false;
    }
    await refresh().catch(showError);
  }

  const showError = (e) => status.error(`Could not load the cluster links: ${e.message}`);
  return poll(refresh, REFRESH_MS, showError);
}

/** Where keyboard focus is in the table (row and control), and a function that puts it back after a redraw. */
function rememberFocus(container) {
  const active = document.activeElement;
  const row = active && container.contains(active) ? active.closest('tr[data-link]') : null;
  if (!row) {
    return () => {};
  }
  const name = row.dataset.link;
  const index = [...row.querySelectorAll('a, button, input')].indexOf(active);
  return () => {
    const again = [...container.querySelectorAll('tr[data-link]')].find((r) => r.dataset.link === name);
    again?.querySelectorAll('a, button, input')[index]?.focus();
  };
}
