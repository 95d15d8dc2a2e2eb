// Tiny DOM helpers: build elements without HTML strings, so API data can never turn into markup.

/**
 * h('button', {class: 'primary', onclick: fn, 'aria-label': 'x'}, 'text', child...): keys starting with "on" are
 * listeners, "class" and "text" set className and textContent, anything else is an attribute (false/null: omitted).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (key.startsWith('on')) {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'text') {
      el.textContent = value;
    } else if (key === 'value' || key === 'checked') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : value);
    }
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    el.setAttribute(key, value);
  }
  el.append(...children);
  return el;
}

/** A trash-can icon for delete buttons (the button carries the accessible name). */
export function trashIcon() {
  return svg('svg', { viewBox: '0 0 24 24', width: '18', height: '18', 'aria-hidden': 'true', focusable: 'false' },
    svg('path', { d: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3', fill: 'none', stroke: 'currentColor',
      'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
}

/** Asks before something that cannot be undone; resolves true only when the user confirmed. */
export function confirmAction(message, confirmLabel = 'Delete') {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-message').textContent = message;
  document.getElementById('confirm-ok').textContent = confirmLabel;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

/** A status line for results of actions; role=status so screen readers announce it. */
export function notice() {
  const el = h('p', { class: 'notice', role: 'status' });
  return {
    el,
    ok(text) {
      el.className = 'notice ok';
      el.textContent = text;
    },
    error(text) {
      el.className = 'notice error';
      el.textContent = text;
    },
    clear() {
      el.className = 'notice';
      el.textContent = '';
    },
    /** After a successful refresh: a past error no longer holds, a success message still does. */
    clearError() {
      if (el.classList.contains('error')) {
        this.clear();
      }
    },
  };
}

export function formatNumber(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: 1 }) : '–';
}

export function formatDuration(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hms = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60];
  return (d > 0 ? `${d}d ` : '') + hms.map((v) => String(v).padStart(2, '0')).join(':');
}

/**
 * Runs fn now and every intervalMs until the returned stop function is called; errors go to onError. While the tab
 * is hidden nothing is fetched; when it is shown again fn runs at once, so the page is never stale to the eye.
 */
export function poll(fn, intervalMs, onError) {
  let stopped = false;
  let running = false;
  let timer;
  const tick = async () => {
    clearTimeout(timer);
    if (stopped || running) {
      return;
    }
    if (!document.hidden) {
      running = true;
      try {
        await fn();
      } catch (e) {
        if (!stopped) {
          onError(e);
        }
      } finally {
        running = false;
      }
    }
    if (!stopped) {
      timer = setTimeout(tick, intervalMs);
    }
  };
  const onVisible = () => {
    if (!document.hidden) {
      tick();
    }
  };
  document.addEventListener('visibilitychange', onVisible);
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

/** An ISO-8601 time as the reader's local date and time, in a <time> element that keeps the exact value. */
export function timeOf(iso) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) {
    return h('time', { text: String(iso) });
  }
  const pad = (n) => String(n).padStart(2, '0');
  const text = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} `
    + `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  return h('time', { datetime: at.toISOString(), title: at.toISOString(), text });
}
