// The notification centre in the top bar: a bell with the unread count, the list, mark as read.
// New notifications arrive live (a toast, and at the top of the list).
(function () {
  "use strict";
  const root = document.getElementById("notif");
  if (!root || !window.CE || !CE.tokens.access) return;
  const text = root.dataset;
  let unread = 0, cursor = null, loaded = false;

  const make = (tag, cls, content) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (content !== undefined) node.textContent = content;
    return node;
  };
  const bell = make("button", "btn btn-ghost notif-bell");
  bell.type = "button";
  bell.id = "notif-bell";
  bell.setAttribute("aria-label", text.title);
  bell.setAttribute("aria-expanded", "false");
  bell.append(make("span", "notif-icon", "\u{1F514}"));
  const count = make("span", "badge notif-count");
  count.id = "notif-count";
  bell.append(count);
  const panel = make("div", "notif-panel");
  panel.id = "notif-panel";
  panel.hidden = true;
  const list = make("ul", "notif-list");
  list.id = "notif-list";
  const more = make("button", "btn btn-ghost notif-more", text.more);
  more.type = "button";
  panel.append(make("h2", "notif-title", text.title), list, more);
  root.append(bell, panel);
  root.hidden = false;

  function setUnread(n) {
    unread = Math.max(0, n);
    count.textContent = unread > 99 ? "99+" : String(unread);
    count.hidden = unread === 0;
  }

  function when(iso) {
    return new Date(iso).toLocaleString(CE.lang === "fr" ? "fr-FR" : "en-GB",
      { dateStyle: "short", timeStyle: "short" });
  }

  function item(note) {
    const row = make("li", "notif-item" + (note.read_at ? "" : " notif-unread"));
    row.dataset.id = note.id;
    row.append(make("strong", null, note.title), make("p", null, note.body),
      make("time", "muted", when(note.created_at)));
    if (!note.read_at) {
      const read = make("button", "btn btn-ghost notif-read", text.read);
      read.type = "button";
      read.addEventListener("click", () => markRead(note, row, read));
      row.append(read);
    }
    return row;
  }

  async function markRead(note, row, button) {
    try {
      await CE.api("/me/notifications/" + note.id + "/read", { method: "POST" });
      row.classList.remove("notif-unread");
      button.remove();
      setUnread(unread - 1);
    } catch (error) { CE.toast(error.message, "error"); }
  }

  function showEmpty() {
    if (!list.children.length) list.append(make("li", "notif-empty muted", text.empty));
  }

  async function load(next) {
    const page = await CE.api("/me/notifications?limit=20" + (next ? "&cursor=" + encodeURIComponent(next) : ""));
    if (!next) list.replaceChildren();
    page.items.forEach((note) => list.append(item(note)));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    setUnread(page.unread);
    loaded = true;
    showEmpty();
  }

  bell.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    bell.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden && !loaded) load().catch((error) => CE.toast(error.message, "error"));
  });
  more.addEventListener("click", () => load(cursor).catch((error) => CE.toast(error.message, "error")));

  if (CE.live) {
    CE.live.on("notification", (payload) => {
      const note = payload && payload.data;
      if (!note || list.querySelector('[data-id="' + note.id + '"]')) return;
      CE.toast(note.title + " — " + note.body);
      const empty = list.querySelector(".notif-empty");
      if (empty) empty.remove();
      list.prepend(item(note));
      setUnread(unread + 1);
    });
    // after a reconnection the count is fetched again: pushes may have been missed meanwhile
    CE.live.on("live.connected", () => load().catch(() => null));
  }
  load().catch(() => setUnread(0));
})();
