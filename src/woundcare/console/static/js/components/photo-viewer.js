// A photo at full size with zoom (buttons, or pinch on a tablet through native scrolling of
// the enlarged image); Escape or "Close" returns focus to the thumbnail that opened it.
import { useEffect, useRef } from "../../vendor/preact-hooks.mjs";
import { signal } from "../../vendor/signals.mjs";
import { html } from "../html.js";

const open = signal(null); // {src, label, opener}
const zoom = signal(1);
const natural = signal(0); // the photo's width in pixels, once loaded

export function openPhoto(src, label, opener) {
  zoom.value = 1;
  natural.value = 0;
  open.value = { src, label, opener };
}

function close() {
  const opener = open.value && open.value.opener;
  open.value = null;
  if (opener && opener.focus) opener.focus();
}

export function PhotoViewer() {
  const closeRef = useRef(null);
  useEffect(() => {
    if (!open.value) return undefined;
    if (closeRef.current) closeRef.current.focus();
    const onKey = (e) => { if (e.key === "Escape") close(); };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open.value]);
  if (!open.value) return "";
  const { src, label } = open.value;
  return html`<div class="photo-viewer" role="dialog" aria-modal="true" aria-label=${`${label}, full size`}>
    <div class="photo-viewer-bar">
      <button type="button" class="secondary small" onClick=${() => { zoom.value = Math.min(6, zoom.value * 1.5); }}>Zoom in</button>
      <button type="button" class="secondary small" onClick=${() => { zoom.value = Math.max(0.25, zoom.value / 1.5); }}>Zoom out</button>
      <button type="button" class="secondary small" onClick=${() => { zoom.value = 1; }}>Actual size</button>
      <span class="hint">${Math.round(zoom.value * 100)} %</span>
      <button type="button" class="primary small" ref=${closeRef} onClick=${close}>Close</button>
    </div>
    <div class="photo-viewer-stage">
      <img src=${src} alt=${label} onLoad=${(e) => { natural.value = e.currentTarget.naturalWidth; }}
        width=${natural.value ? Math.round(natural.value * zoom.value) : undefined} />
    </div>
  </div>`;
}
