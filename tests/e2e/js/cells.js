// Evaluated in the page by tests/e2e/screen_checks.py.
(() => {
  const out = [];
  const cells = document.querySelectorAll("dd, td, .badge, li.check, em, .step-name, .meta, .field-path, legend, label, th, summary, .notice, .msg, h1, h2, h3, h4, p");
  for (const el of cells) {
    if (!el.offsetParent && getComputedStyle(el).position !== "fixed") continue;
    out.push(el.innerText.trim());
  }
  for (const sel of document.querySelectorAll("select")) {
    const opt = sel.options[sel.selectedIndex];
    if (opt && sel.offsetParent) out.push(opt.textContent.trim());
  }
  return out;
})
