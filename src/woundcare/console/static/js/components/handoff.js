// Hand-off downloads on an exported case: the signed FHIR bundle (a plain link: the server
// answers it at once) and the PDF report, which the delivery worker renders: the button
// asks until the server has it (202 + Retry-After), then saves it.
import { useSignal } from "../../vendor/signals.mjs";
import { html } from "../html.js";

const enc = encodeURIComponent;
const MAX_WAIT_MS = 120_000;

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function HandoffDownloads({ snap }) {
  const state = useSignal("idle"); // idle | waiting | error
  const message = useSignal("");
  if (!snap || !snap.record || !snap.record.export) return "";
  const base = `/api/session/${enc(snap.case_id)}/export`;
  const report = async () => {
    state.value = "waiting";
    message.value = "Preparing the report…";
    const started = Date.now();
    try {
      for (;;) {
        const res = await fetch(`${base}/report.pdf`, { credentials: "same-origin", cache: "no-store" });
        if (res.status === 200) {
          save(await res.blob(), `case-${snap.case_id}-report.pdf`);
          state.value = "idle";
          message.value = "Report downloaded.";
          return;
        }
        if (res.status !== 202) {
          const problem = await res.json().catch(() => ({}));
          throw new Error(problem.detail || `The report could not be downloaded (${res.status}).`);
        }
        if (Date.now() - started > MAX_WAIT_MS) {
          throw new Error("The report is still being prepared; try again in a minute.");
        }
        const wait = Number(res.headers.get("Retry-After") || "3");
        await new Promise((r) => setTimeout(r, Math.min(Math.max(wait, 1), 10) * 1000));
      }
    } catch (err) {
      state.value = "error";
      message.value = String(err && err.message ? err.message : err);
    }
  };
  return html`<section class="handoff" aria-labelledby="handoff-h">
    <h2 id="handoff-h">Hand-off</h2>
    <div class="with-button">
      <a class="button secondary" id="download-fhir" href=${`${base}/fhir`}
        download=${`case-${snap.case_id}.fhir.json`}>Download FHIR bundle</a>
      <button type="button" class="secondary" id="download-report" onClick=${report}
        disabled=${state.value === "waiting"} aria-busy=${state.value === "waiting" ? "true" : undefined}>
        ${state.value === "waiting" ? "Preparing report…" : "Download report (PDF)"}</button>
    </div>
    ${message.value ? html`<p class=${`msg ${state.value === "error" ? "error" : "info"}`}
      role=${state.value === "error" ? "alert" : "status"}>${message.value}</p>` : ""}
  </section>`;
}
