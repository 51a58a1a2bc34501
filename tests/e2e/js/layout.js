// Evaluated in the page by tests/e2e/screen_checks.py.
(() => {
  const describe = (el) => {
    if (!el) return "nothing";
    const label = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} "${label}"`;
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width < 3 || r.height < 3 || s.visibility === "hidden" || s.display === "none") return false;
    if (parseFloat(s.opacity) === 0) return false;  // the styled file input's real control
    if (r.right < 0 || r.left > document.documentElement.scrollWidth) return false;  // skip link
    if (el.closest(".visually-hidden")) return false;
    return true;
  };
  const controls = [...document.querySelectorAll(
    "button, a[href], input, select, textarea, summary, [role=button]")].filter(shown);
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  const covered = [];
  const truncated = [];
  // Touch targets under 44 x 44 CSS px (WCAG 2.5.5): a checkbox or radio counts with its
  // label; links inside a sentence and the regions of a drawing (SVG) are exempt.
  const small = [];
  const TAP = 43.5;
  const canvas = document.createElement("canvas").getContext("2d");
  const y0 = window.scrollY;
  for (const el of controls) {
    el.scrollIntoView({ block: "center", inline: "nearest" });
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
    const ok = hit && (hit === el || el.contains(hit) || (label && (hit === label || label.contains(hit))));
    if (!ok) covered.push(`${describe(el)} under ${describe(hit)}`);
    const s = getComputedStyle(el);
    if (!el.closest("svg") && !(el.tagName === "A" && s.display === "inline")) {
      let box = r;
      const wrap = el.closest("label") || label;
      if (wrap && (el.type === "checkbox" || el.type === "radio")) box = wrap.getBoundingClientRect();
      if (box.height < TAP || box.width < TAP) small.push(`${describe(el)} ${Math.round(box.width)}x${Math.round(box.height)}px`);
    }
    if (el.tagName === "SELECT") {
      const opt = el.options[el.selectedIndex];
      if (opt) {
        canvas.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
        const need = canvas.measureText(opt.textContent.trim()).width;
        const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 20;
        if (need > room) truncated.push(`${describe(el)} shows "${opt.textContent.trim()}" in ${Math.round(room)}px (needs ${Math.round(need)}px)`);
      }
    } else if (el.tagName === "INPUT" && !["checkbox", "radio", "file", "range", "color"].includes(el.type)) {
      if (el.scrollWidth > el.clientWidth + 1) truncated.push(`${describe(el)} value wider than its box`);
      if (el.type === "datetime-local" && el.clientWidth < 200) truncated.push(`${describe(el)} too narrow for a date and time (${el.clientWidth}px)`);
    } else if (el.tagName === "BUTTON" || el.classList.contains("button")) {
      if (el.scrollWidth > el.clientWidth + 1) truncated.push(`${describe(el)} text wider than the button`);
    }
  }
  window.scrollTo(0, y0);
  return { overflow, covered, truncated, small, controls: controls.length };
})
