// Developer portal, components: the published ones, downloaded with the person's token,
// and how to install them with npm from our registry.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const registry = location.origin + "/npm/";

  function setup() {
    const host = registry.replace(/^https?:/, "");
    $("npm-setup").querySelector("code").textContent =
      `# .npmrc\n${host}:_authToken=ce_live_…\n\nnpm install --registry ${registry} <component>`;
  }

  async function download(component) {
    const path = `/api/v1/components/${encodeURIComponent(component.name)}/${component.latest}/download`;
    try {
      const response = await fetch(path, { headers: { Authorization: "Bearer " + CE.tokens.access } });
      if (!response.ok) throw new Error((await response.json()).detail || response.statusText);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = `${component.name.split("/").pop()}-${component.latest}.tgz`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    } catch (error) { CE.toast(error.message, "error"); }
  }

  function render(components) {
    $("component-rows").replaceChildren(...components.map((component) => {
      const row = document.createElement("tr");
      for (const value of [component.name, component.latest, component.description]) {
        const cell = document.createElement("td");
        cell.textContent = value;
        row.appendChild(cell);
      }
      const button = document.createElement("button");
      button.className = "btn";
      button.type = "button";
      button.textContent = $("components").dataset.download || "⬇";
      button.addEventListener("click", () => download(component));
      row.appendChild(document.createElement("td")).appendChild(button);
      return row;
    }));
    $("components-table").hidden = components.length === 0;
    $("no-components").hidden = components.length > 0;
  }

  async function load() {
    try {
      render(await CE.api("/components"));
      setup();
      $("components").hidden = false;
    } catch (error) {
      if (error.status !== 401 && error.status !== 403) CE.toast(error.message, "error");
    }
  }

  if (CE.tokens.access) load();
})();
