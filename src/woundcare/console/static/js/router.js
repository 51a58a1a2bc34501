// Hash routes: #/login?next=..., #/cases, #/account, #/admin[/<tab>], #/case/<id>, #/case/<id>/<STATE>.
import { route } from "./store.js";

export function parse(hash) {
  const raw = (hash || "").replace(/^#/, "") || "/cases";
  const [path, query = ""] = raw.split("?");
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "login") return { name: "login", next: params.get("next") };
  if (parts[0] === "account") return { name: "account" };
  if (parts[0] === "admin") return { name: "admin", tab: parts[1] || null };
  if (parts[0] === "case" && parts[1]) return { name: "case", caseId: parts[1], step: parts[2] || null };
  return { name: "cases" };
}

export function go(hash) {
  if (location.hash === hash) route.value = parse(hash);
  else location.hash = hash;
}

/** Where to go after logging in (the case the user was on when the session ended). */
export function returnTo() {
  const r = route.value;
  if (r.name === "login" && r.next && r.next.startsWith("/")) return `#${r.next}`;
  return null;
}

export function startRouter(onChange) {
  const apply = () => {
    route.value = parse(location.hash);
    onChange(route.value);
  };
  window.addEventListener("hashchange", apply);
  apply();
}
