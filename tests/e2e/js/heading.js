// Evaluated in the page by tests/e2e/screen_checks.py.
(() => {
  const h = document.getElementById("panel-title") || document.querySelector("main h1, main h2");
  if (!h) return { found: false };
  const r = h.getBoundingClientRect();
  const head = document.querySelector(".case-head");
  const top = head ? head.getBoundingClientRect().bottom : 0;
  return { found: true, text: h.textContent.trim(), top: r.top, bottom: r.bottom, headerBottom: top,
           innerHeight: window.innerHeight, scrollY: window.scrollY,
           inView: r.top >= top - 1 && r.bottom <= window.innerHeight, focused: document.activeElement === h };
})
