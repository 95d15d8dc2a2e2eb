// Entry point: login, the shell (top bar and left menu) and the hash router that swaps pages in <main>.
import { clearSession, login, session, whenUnauthorized } from './api.js';
import { renderNodeOverview } from './node-overview.js';
import { renderLinkList } from './link-list.js';
import { renderLinkCreate } from './link-form.js';
import { renderLinkDetail } from './link-detail.js';

// Each page renders into <main> and may return a function that stops its timers when the page is left.
const ROUTES = [
  [/^#\/overview$/, (main) => renderNodeOverview(main)],
  [/^#\/links$/, (main) => renderLinkList(main)],
  [/^#\/links\/new$/, (main) => renderLinkCreate(main)],
  [/^#\/links\/([^/]+)\/settings$/, (main, name) => renderLinkDetail(main, decodeURIComponent(name), 'settings')],
  [/^#\/links\/([^/]+)$/, (main, name) => renderLinkDetail(main, decodeURIComponent(name), 'overview')],
];

const loginView = document.getElementById('login-view');
const appView = document.getElementById('app-view');
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const menuToggle = document.getElementById('menu-toggle');
let leavePage = null;
let loginMessage = '';

function showLogin() {
  leave();
  appView.hidden = true;
  loginView.hidden = false;
  document.getElementById('login-error').textContent = loginMessage;
  document.getElementById('login-username').focus();
}

function leave() {
  if (leavePage) {
    leavePage();
    leavePage = null;
  }
}

function route() {
  const current = session();
  if (!current) {
    showLogin();
    return;
  }
  loginView.hidden = true;
  appView.hidden = false;
  document.getElementById('current-user').textContent = current.username;
  const hash = location.hash || '#/overview';
  const match = ROUTES.map(([re, render]) => [hash.match(re), render]).find(([m]) => m);
  if (!match) {
    location.replace('#/overview');
    return;
  }
  leave();
  main.replaceChildren();
  const [m, render] = match;
  leavePage = render(main, ...m.slice(1)) ?? null;
  markCurrentMenuItem(hash);
  closeMenu();
  // keyboard and screen-reader users land on the new page's heading
  main.querySelector('h1')?.focus();
}

function markCurrentMenuItem(hash) {
  for (const a of nav.querySelectorAll('a')) {
    const target = a.getAttribute('href');
    const current = hash === target || hash.startsWith(`${target}/`);
    if (current) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
}

function closeMenu() {
  nav.classList.remove('open');
  menuToggle.setAttribute('aria-expanded', 'false');
}

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const error = document.getElementById('login-error');
  error.textContent = '';
  try {
    await login(form.username.value, form.password.value);
    form.password.value = '';
    loginMessage = '';
    if (!location.hash || location.hash === '#/login') {
      location.hash = '#/overview';
    }
    route();
  } catch (e) {
    error.textContent = e.status === 401 ? 'Wrong username or password.' : `Login failed: ${e.message}`;
  }
});

document.getElementById('logout').addEventListener('click', () => {
  clearSession();
  loginMessage = '';
  showLogin();
});

menuToggle.addEventListener('click', () => {
  const open = nav.classList.toggle('open');
  menuToggle.setAttribute('aria-expanded', String(open));
  if (open) {
    nav.querySelector('a')?.focus();
  }
});

// on a narrow window the menu covers the page: any choice closes it, even the page already shown; so does Escape
nav.addEventListener('click', (event) => {
  if (event.target.closest('a')) {
    closeMenu();
  }
});
nav.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && nav.classList.contains('open')) {
    closeMenu();
    menuToggle.focus();
  }
});

whenUnauthorized(() => {
  loginMessage = 'Your session has ended; please log in again.';
  showLogin();
});

window.addEventListener('hashchange', route);
route();
