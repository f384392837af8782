// Tech staff's component registry: publish a tarball, remove versions, read the download log.
(function () {
  "use strict";
  const { texts, guard, time, row, bytes } = CE.staff;
  const $ = (id) => document.getElementById(id);
  const path = (name) => "/components/" + encodeURIComponent(name);
  let cursor = null;

  function button(label, kind, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "btn" + (kind ? " btn-" + kind : "");
    element.textContent = label;
    element.addEventListener("click", action);
    return element;
  }

  function versionRow(component, version, first) {
    const actions = document.createElement("span");
    actions.className = "row";
    actions.append(button(texts.download, "", () => download(component.name, version.version)),
      button(texts.removeVersion, "danger", () => remove(component.name, version.version)));
    if (first) actions.append(button(texts.removeAll, "danger", () => remove(component.name, null)));
    const tr = row([component.name, version.version, bytes(version.size_bytes), time(version.published_at), actions],
      ["name", "version", "size", "published", "actions"]);
    tr.dataset.component = component.name;
    return tr;
  }

  async function loadComponents() {
    const components = await CE.api("/components");
    $("component-rows").replaceChildren(...components.flatMap((component) =>
      component.versions.slice().reverse().map((version, i) => versionRow(component, version, i === 0))));
    $("no-components").textContent = texts.noComponents;
    $("no-components").hidden = components.length > 0;
  }

  async function loadDownloads(more) {
    const page = await CE.api("/admin/component-downloads?limit=20" + (more && cursor ? "&cursor=" + cursor : ""));
    const rows = page.items.map((item) => row([time(item.at), item.name, item.version,
      item.user_email || "—", item.via, item.ip || "—"]));
    if (more) $("download-rows").append(...rows); else $("download-rows").replaceChildren(...rows);
    cursor = page.next_cursor;
    $("downloads-more-row").hidden = !cursor;
    $("no-downloads").textContent = texts.noDownloads;
    $("no-downloads").hidden = $("download-rows").children.length > 0;
  }

  async function publish(event) {
    event.preventDefault();
    const file = $("tarball").files[0], error = $("publish-error");
    error.hidden = true;
    if (!file) { error.textContent = texts.pickFile; error.hidden = false; return; }
    const form = new FormData();
    form.append("tarball", file, file.name);
    try {
      const published = await CE.api("/components", { method: "POST", body: form });
      CE.toast(`${texts.published} ${published.name}@${published.version}`, "ok");
      event.target.reset();
      await loadComponents();
    } catch (problem) {
      error.textContent = problem.message;
      error.hidden = false;
    }
  }

  async function remove(name, version) {
    if (!window.confirm(version ? texts.confirmVersion : texts.confirmAll)) return;
    try {
      await CE.api(path(name) + (version ? "/" + encodeURIComponent(version) : ""), { method: "DELETE" });
      CE.toast(`${texts.removed} ${name}${version ? "@" + version : ""}`, "ok");
      await loadComponents();
    } catch (error) { CE.toast(error.message, "error"); }
  }

  async function download(name, version) {
    const response = await fetch(`/api/v1${path(name)}/${encodeURIComponent(version)}/download`,
      { headers: { Authorization: "Bearer " + CE.tokens.access } });
    if (!response.ok) { CE.toast(response.statusText, "error"); return; }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = `${name.split("/").pop()}-${version}.tgz`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    await loadDownloads(false);
  }

  guard(["tech"], texts.techOnly).then(async () => {
    $("registry").hidden = false;
    $("publish-form").addEventListener("submit", publish);
    $("downloads-more").addEventListener("click", () => loadDownloads(true));
    await Promise.all([loadComponents(), loadDownloads(false)]);
  }).catch(() => {});
})();
