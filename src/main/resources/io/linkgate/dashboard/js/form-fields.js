// Form building blocks: labelled fields with their error slot, the topic rows, PEM paste-or-upload fields.
import { h } from './dom.js';

let nextId = 0;

/**
 * A labelled input (or textarea) bound to a JSON path of the link ("resource_opts.request_ttl"). The error slot is
 * announced with the input (aria-describedby) and marks it aria-invalid.
 */
export function field({ path, label, hint, type = 'text', value = '', multiline = false, ...attrs }) {
  const id = `f-${path.replace(/[^a-z0-9]+/gi, '-')}-${nextId++}`;
  const input = multiline
    ? h('textarea', { id, name: path, rows: '4', spellcheck: 'false', ...attrs })
    : h('input', { id, name: path, type, ...attrs });
  input.value = value ?? '';
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  input.setAttribute('aria-describedby', [hintEl?.id, error.id].filter(Boolean).join(' '));
  // required: the input says so to assistive technology; the star is for the eye (hidden from the label's name)
  const labelEl = h('label', { for: id }, label, attrs.required
    ? h('span', { class: 'required-mark', 'aria-hidden': 'true', text: ' *' }) : null);
  const el = h('div', { class: attrs.required ? 'field required' : 'field' }, labelEl, input, hintEl, error);
  return { path, label, input, el, ...errorSlot(el, input, error) };
}

/** A checkbox with its label after it. */
export function checkbox({ path, label, checked, hint }) {
  const id = `f-${path.replace(/[^a-z0-9]+/gi, '-')}-${nextId++}`;
  const input = h('input', { id, name: path, type: 'checkbox', checked: Boolean(checked) });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  input.setAttribute('aria-describedby', [hintEl?.id, error.id].filter(Boolean).join(' '));
  const el = h('div', { class: 'field field-check' }, input, h('label', { for: id, text: label }), hintEl, error);
  return { path, label, input, el, ...errorSlot(el, input, error) };
}

function errorSlot(el, input, error) {
  return {
    setError(message) {
      error.textContent = message;
      input.setAttribute('aria-invalid', 'true');
      el.classList.add('invalid');
    },
    clearError() {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      el.classList.remove('invalid');
    },
  };
}

/** A PEM field: paste the text, type a file path on the server, or upload a file whose text lands in the box. */
export function pemField({ path, label, value, pemType = 'CERTIFICATE' }) {
  const f = field({ path, label, value, multiline: true, placeholder: `-----BEGIN ${pemType}-----  (or a path)`,
    hint: 'Paste PEM text, give a path on the server, or upload a file.' });
  const upload = h('input', {
    type: 'file', accept: '.pem,.crt,.cer,.key,text/plain', 'aria-label': `Upload ${label}`,
  });
  upload.addEventListener('change', async () => {
    const file = upload.files[0];
    if (file) {
      f.input.value = await file.text();
      f.clearError();
    }
  });
  f.el.insertBefore(h('div', { class: 'upload' }, upload), f.el.querySelector('.hint'));
  return f;
}

/** Topic filter rows: + adds one, − removes one. values() skips empty rows; errors map back to their row. */
export function topicsEditor(topics) {
  const list = h('ol', { class: 'topic-rows' });
  const error = h('p', { class: 'field-error', id: `topics-error-${nextId++}` });
  const rows = [];

  function addRow(value = '', focus = false) {
    const input = h('input', { type: 'text', name: 'topics', value, placeholder: 'e.g. global/#' });
    const rowError = h('p', { class: 'field-error' });
    const remove = h('button', { type: 'button', class: 'icon', text: '−' });
    const row = { input, rowError, li: h('li', { class: 'topic-row' }, input, remove, rowError) };
    remove.addEventListener('click', () => {
      const at = rows.indexOf(row);
      rows.splice(at, 1);
      row.li.remove();
      relabel();
      (rows[Math.min(at, rows.length - 1)]?.input ?? add).focus();
    });
    rows.push(row);
    list.append(row.li);
    relabel();
    if (focus) {
      input.focus();
    }
  }

  function relabel() {
    rows.forEach((row, i) => {
      row.input.setAttribute('aria-label', `Topic ${i + 1}`);
      row.li.querySelector('button').setAttribute('aria-label', `Remove topic ${i + 1}`);
      row.rowError.id = `topic-row-error-${i}-${nextId}`;
      row.input.setAttribute('aria-describedby', row.rowError.id);
    });
  }

  const add = h('button', { type: 'button', class: 'icon add', 'aria-label': 'Add topic', text: '+' });
  add.addEventListener('click', () => addRow('', true));
  (topics.length ? topics : ['']).forEach((t) => addRow(t));

  const el = h('fieldset', { class: 'field topics', 'aria-describedby': error.id },
    h('legend', { text: 'Topics' }),
    h('p', { class: 'hint', text: 'Filters of the messages this cluster receives from the remote one. Empty: none.' }),
    list, add, error);

  const filled = () => rows.filter((r) => r.input.value.trim() !== '');
  return {
    path: 'topics',
    el,
    values: () => filled().map((r) => r.input.value.trim()),
    /** "topics" for the whole list, "topics[i]" for the i-th value sent. */
    setError(path, message) {
      const m = path.match(/^topics\[(\d+)\]$/);
      const row = m ? filled()[Number(m[1])] : null;
      const target = row ? row.rowError : error;
      target.textContent = message;
      (row ? row.input : el).setAttribute('aria-invalid', 'true');
      el.classList.add('invalid');
      return row ? row.input : rows[0]?.input;
    },
    clearErrors() {
      error.textContent = '';
      el.removeAttribute('aria-invalid');
      el.classList.remove('invalid');
      rows.forEach((r) => {
        r.rowError.textContent = '';
        r.input.removeAttribute('aria-invalid');
      });
    },
  };
}

// Dotted JSON paths ("resource_opts.request_ttl") into the link object.
export function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

export function setPath(obj, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  const parent = keys.reduce((o, k) => (o[k] ??= {}), obj);
  parent[last] = value;
}

export function deletePath(obj, path) {
  const keys = path.split('.');
  const last = keys.pop();
  const parent = keys.reduce((o, k) => (o == null ? undefined : o[k]), obj);
  if (parent) {
    delete parent[last];
  }
}
