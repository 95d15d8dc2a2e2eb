// What the list and a link's page share: the status badge, the enable switch and deletion.
import { call, linkPath } from './api.js';
import { confirmAction, h } from './dom.js';

/** The link as GET returns it, without the read-only status fields: what a PUT takes back. */
export function writable(link) {
  const copy = structuredClone(link);
  delete copy.status;
  delete copy.node_status;
  return copy;
}

/** Status with the first failure reason any node reports (the reason is why a link is down). */
export function statusBadge(link) {
  const reason = (link.node_status ?? []).map((n) => n.reason).find(Boolean);
  return h('span', { class: 'status' },
    h('span', { class: `badge badge-${link.status}`, text: link.status }),
    reason ? h('span', { class: 'status-reason', text: reason }) : null);
}

/**
 * A switch that disables or enables the link by PUTting it back whole with enable flipped, so its config stays.
 * Passwords come back as "******", which the API reads as "keep the stored one".
 */
export function enableSwitch(link, { onChanged, onError }) {
  const input = h('input', {
    type: 'checkbox', role: 'switch', class: 'switch', checked: link.enable,
    'aria-label': `Enable cluster link ${link.name}`,
  });
  // busy rather than disabled while the PUT runs: a disabled control loses keyboard focus
  let pending = false;
  input.addEventListener('change', async () => {
    const enable = input.checked;
    if (pending) {
      input.checked = !enable;
      return;
    }
    pending = true;
    input.setAttribute('aria-busy', 'true');
    let updated;
    try {
      updated = await call('PUT', linkPath(link.name), { ...writable(link), enable });
      Object.assign(link, updated);
    } catch (e) {
      input.checked = !enable;
      onError(`Could not ${enable ? 'enable' : 'disable'} ${link.name}: ${e.message}`);
      return;
    } finally {
      pending = false;
      input.removeAttribute('aria-busy');
    }
    onChanged(updated);
  });
  return input;
}

/** Deletes after confirmation; resolves true when the link is gone. */
export async function deleteLink(name) {
  if (!(await confirmAction(`Delete the cluster link "${name}"? Its configuration is removed.`))) {
    return false;
  }
  await call('DELETE', linkPath(name));
  return true;
}
