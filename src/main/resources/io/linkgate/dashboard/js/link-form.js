// The Create and Settings form of a cluster link: every field of the seed, API errors shown next to their fields.
import { call, linkPath } from './api.js';
import { h, notice } from './dom.js';
import { checkbox, deletePath, field, getPath, pemField, setPath, topicsEditor } from './form-fields.js';
import { writable } from './link-actions.js';
import { noticeOnList } from './link-list.js';

const REDACTED = '******';
const SECRET_HINT = `${REDACTED} keeps the stored secret; clear the field to remove it.`;

export function renderLinkCreate(main) {
  main.append(
    h('div', { class: 'page-head' },
      h('h1', { tabindex: '-1', text: 'Create Cluster Link' }),
      h('a', { href: '#/links', class: 'button', text: 'Back to the list' })),
    linkForm(null, {
      onSaved: (saved) => {
        noticeOnList(`${saved.name} created.`);
        location.hash = '#/links';
      },
    }));
}

/**
 * The form for a new link (link = null) or for the stored one; onSaved gets the link as the API returned it.
 * enabled() tells whether the link is enabled now (the page's switch may have changed it since the form was drawn);
 * cancelHref is where Cancel leads (the list from Create, the link's Overview from Settings).
 */
export function linkForm(link, { onSaved, enabled = () => link?.enable ?? true, cancelHref = '#/links' }) {
  const editing = link !== null;
  const value = (path, fallback = '') => (editing ? getPath(link, path) ?? '' : fallback);
  const secretHint = (path) => (editing && getPath(link, path) === REDACTED ? SECRET_HINT : undefined);

  const basic = [
    field({ path: 'name', label: 'Cluster Name', value: value('name'), required: true, readonly: editing,
      autocomplete: 'off', hint: editing ? 'The name cannot be changed.' : 'The remote cluster\'s cluster.name.' }),
    field({ path: 'server', label: 'Server', value: value('server'), required: true, autocomplete: 'off',
      placeholder: 'emqx.example.net:1883', hint: 'MQTT host and port of the remote cluster.' }),
    field({ path: 'clientid', label: 'Client ID Prefix', value: value('clientid'), autocomplete: 'off',
      hint: 'Prefix of the client IDs of the link\'s connections; empty: this cluster\'s name.' }),
    field({ path: 'username', label: 'Username', value: value('username'), autocomplete: 'off' }),
    field({ path: 'password', label: 'Password', type: 'password', value: value('password'),
      autocomplete: 'new-password', hint: secretHint('password') }),
  ];
  const topics = topicsEditor(editing ? link.topics : []);

  const tlsEnable = checkbox({ path: 'ssl.enable', label: 'Enable TLS', checked: value('ssl.enable', false) });
  const verify = checkbox({ path: 'ssl.verify', label: 'Verify peer', checked: value('ssl.verify') === 'verify_peer',
    hint: 'Check the remote cluster\'s certificate against the CA certificate (none: the JVM\'s trust store).' });
  const tls = [
    field({ path: 'ssl.server_name_indication', label: 'SNI', value: value('ssl.server_name_indication'),
      autocomplete: 'off', hint: 'Server name sent in the TLS handshake; empty: the server\'s host.' }),
    pemField({ path: 'ssl.cacertfile', label: 'CA certificate', value: value('ssl.cacertfile') }),
    pemField({ path: 'ssl.certfile', label: 'Client certificate', value: value('ssl.certfile') }),
    pemField({ path: 'ssl.keyfile', label: 'Client key', value: value('ssl.keyfile'), pemType: 'PRIVATE KEY' }),
    field({ path: 'ssl.password', label: 'Key passphrase', type: 'password', value: value('ssl.password'),
      autocomplete: 'new-password', hint: secretHint('ssl.password') }),
  ];
  const tlsBox = h('div', { class: 'tls-fields' }, verify.el, tls.map((f) => f.el));
  const showTls = () => { tlsBox.hidden = !tlsEnable.input.checked; };
  tlsEnable.input.addEventListener('change', showTls);
  showTls();

  const advanced = [
    field({ path: 'pool_size', label: 'Connection pool size', value: value('pool_size', 8), inputmode: 'numeric',
      hint: 'Message-forwarding connections per node.' }),
    field({ path: 'keepalive', label: 'Keepalive', value: value('keepalive', '60s'), hint: 'e.g. 60s; 0 disables.' }),
    field({ path: 'max_inflight', label: 'Max inflight', value: value('max_inflight', 32), inputmode: 'numeric',
      hint: 'Unacknowledged messages per connection (0: no limit).' }),
    field({ path: 'retry_interval', label: 'Retry interval', value: value('retry_interval', '15s'),
      hint: 'Resend of unacknowledged messages, e.g. 15s.' }),
    field({ path: 'resource_opts.max_buffer_bytes', label: 'Buffer size',
      value: value('resource_opts.max_buffer_bytes', '256MB'), hint: 'Per worker, e.g. 256MB; oldest dropped first.' }),
    field({ path: 'resource_opts.request_ttl', label: 'TTL', value: value('resource_opts.request_ttl', '45s'),
      hint: 'How long a message may wait in the buffer, e.g. 45s or infinity.' }),
    field({ path: 'resource_opts.buffer_mode', label: 'Buffer mode',
      value: value('resource_opts.buffer_mode', 'memory_only'),
      hint: 'memory_only, or durable: QoS 1/2 messages kept on disk until the peer acknowledges them.' }),
  ];
  const advancedBox = h('details', { class: 'advanced' }, h('summary', { text: 'Advanced Settings' }),
    h('div', { class: 'grid' }, advanced.map((f) => f.el)));

  const formError = h('div', { class: 'form-error', role: 'alert' });
  const status = notice();
  const submit = h('button', { type: 'submit', class: 'primary', text: editing ? 'Save' : 'Create' });
  const form = h('form', { class: 'link-form', novalidate: true },
    h('fieldset', {}, h('legend', { class: 'visually-hidden', text: 'Connection' }), basic.map((f) => f.el)),
    topics.el,
    h('fieldset', { class: 'tls' }, h('legend', { class: 'visually-hidden', text: 'TLS' }), tlsEnable.el, tlsBox),
    advancedBox, formError, status.el,
    h('p', { class: 'hint required-note' }, h('span', { class: 'required-mark', 'aria-hidden': 'true', text: '*' }),
      ' required'),
    h('div', { class: 'form-actions' }, submit,
      // Cancel leaves without saving: the edits are dropped, the stored link is unchanged
      h('a', { href: cancelHref, class: 'button', text: 'Cancel' })));

  const textFields = [...basic, ...tls, ...advanced];
  const allFields = [...textFields, tlsEnable, verify];

  function body() {
    const out = editing ? writable(link) : {};
    out.enable = enabled();
    for (const f of textFields) {
      const raw = f.input.type === 'password' ? f.input.value : f.input.value.trim();
      if (raw === '') {
        deletePath(out, f.path);
      } else {
        // numbers go as numbers; anything else as typed, so the API names the field if it is not one
        setPath(out, f.path, f.input.inputMode === 'numeric' && /^\d+$/.test(raw) ? Number(raw) : raw);
      }
    }
    out.topics = topics.values();
    setPath(out, 'ssl.enable', tlsEnable.input.checked);
    setPath(out, 'ssl.verify', verify.input.checked ? 'verify_peer' : 'verify_none');
    return out;
  }

  function showErrors(error) {
    const unplaced = [];
    let first = null;
    for (const { path, message } of error.fields) {
      let target = null;
      if (path === 'topics' || path?.startsWith('topics[')) {
        target = topics.setError(path, message);
      } else {
        const f = allFields.find((x) => x.path === path && !x.el.closest('[hidden]'));
        if (f) {
          f.setError(message);
          target = f.input;
        } else if (error.code === 'ALREADY_EXISTS') {
          basic[0].setError(message);
          target = basic[0].input;
        }
      }
      if (target) {
        target.closest('details')?.setAttribute('open', '');
        first ??= target;
      } else {
        unplaced.push(path ? `${path}: ${message}` : message);
      }
    }
    formError.replaceChildren(...(unplaced.length
      ? [h('p', { text: `The link was not ${editing ? 'saved' : 'created'}:` }),
        h('ul', {}, unplaced.map((m) => h('li', { text: m })))]
      : [h('p', { text: 'Please correct the marked fields.' })]));
    (first ?? submit).focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    allFields.forEach((f) => f.clearError());
    topics.clearErrors();
    formError.replaceChildren();
    status.clear();
    submit.disabled = true;
    try {
      const saved = editing
        ? await call('PUT', linkPath(link.name), body())
        : await call('POST', '/cluster/links', body());
      onSaved(saved);
    } catch (e) {
      submit.disabled = false; // before focusing anything: a disabled button takes no focus
      if (e.status === 400) {
        showErrors(e);
      } else if (e.status !== 401) {
        formError.replaceChildren(h('p', { text: `The link was not ${editing ? 'saved' : 'created'}: ${e.message}` }));
        submit.focus();
      }
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
