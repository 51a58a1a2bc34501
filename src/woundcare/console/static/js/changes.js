// Where each record path is written: which endpoint, under which key of its body, and which
// edits may share one request (a "group"). The body shapes follow the API's step endpoints.
import { getPath, setPath } from "./paths.js";

const IMAGING_KEYS = {
  "wound.site": "wound_site",
  "wound.description": "description",
  "wound.override_reason": "override_reason",
  "wound.photography_declined_reason": "photography_declined_reason",
};

/** Describe the write of ``value`` at record ``path`` (``record`` resolves photo ids). */
export function describeEdit(path, value, record) {
  const [head, ...rest] = path.split(".");
  if (head === "patient") return { ep: "bio", group: "bio", sendPath: path };
  if (head === "consent") return { ep: "consent", group: "consent", sendPath: rest.join(".") };
  if (head === "vitals") return { ep: "vitals", group: "vitals", sendPath: path };
  if (head === "time_assessment") {
    return { ep: "time", group: "time", sendPath: ["assessment", ...rest].join(".") };
  }
  if (path in IMAGING_KEYS) {
    if (path === "wound.override_reason" && value == null) {
      return { ep: "imaging", group: "imaging", sendPath: "clear_override", sendValue: true };
    }
    return { ep: "imaging", group: "imaging", sendPath: IMAGING_KEYS[path] };
  }
  if (head === "wound" && rest[0] === "photos") {
    const photo = getPath(record, `wound.photos.${rest[1]}`);
    if (!photo) throw new Error(`no photo at ${path}`);
    return {
      ep: "imaging",
      group: `photo:${photo.artifact_id}`,
      sendPath: `update_photo.${rest.slice(2).join(".")}`,
      fixed: { update_photo: { artifact_id: photo.artifact_id } },
    };
  }
  if (head === "follow_ups") {
    // value: {answer} or {dismiss_reason}; one request per question, never merged.
    const item = getPath(record, path);
    return { ep: `follow-ups/${item.follow_up_id}`, group: `fu:${item.follow_up_id}`, body: value };
  }
  throw new Error(`no endpoint edits ${path}`);
}

/** One request body from the edits of one group, in order (a later edit of a path wins). */
export function buildBody(changes) {
  const body = JSON.parse(JSON.stringify(changes[0].fixed || {}));
  for (const c of changes) {
    if (c.body) return c.body;
    setPath(body, c.sendPath, c.sendValue !== undefined ? c.sendValue : c.value);
  }
  return body;
}

/** A path in an error from the server, as a record path (request bodies nest differently). */
export function toRecordPath(ep, path) {
  let p = String(path || "").replace(/^body\./, "");
  if (ep === "time") p = p.replace(/^assessment(\.|$)/, "time_assessment$1");
  if (ep === "consent" && !p.startsWith("consent")) p = p ? `consent.${p}` : "consent";
  if (ep === "bio") p = p.replace(/^consent\./, "consent.");
  if (ep === "imaging") {
    for (const [recordPath, key] of Object.entries(IMAGING_KEYS)) {
      if (p === key) p = recordPath;
    }
  }
  return p;
}
