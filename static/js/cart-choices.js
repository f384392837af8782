// Picking an article's options or a menu's dishes before it goes into the cart.
(function () {
  "use strict";

  // One fieldset per group: radios when one choice is allowed, checkboxes otherwise.
  function fieldset(name, min, max, choices) {
    const box = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = name + (max > 1 ? " (" + min + "–" + max + ")" : "");
    box.append(legend);
    box.dataset.min = min;
    box.dataset.max = max;
    choices.forEach((choice, index) => {
      const input = document.createElement("input");
      input.type = max === 1 ? "radio" : "checkbox";
      input.name = name;
      input.value = choice.id;
      input.disabled = choice.available === false;
      input.checked = max === 1 && min === 1 && index === 0 && !input.disabled;
      const row = document.createElement("label");
      row.className = "choice";
      row.append(input, " " + choice.label);
      box.append(row);
    });
    return box;
  }

  // Resolves to the ids picked per fieldset, or null if the person closes the dialog.
  function ask(title, sets) {
    return new Promise((resolve) => {
      const dialog = document.createElement("dialog");
      dialog.className = "card choice-dialog";
      const form = document.createElement("form");
      form.method = "dialog";
      const heading = document.createElement("h2");
      heading.textContent = title;
      const add = document.createElement("button");
      add.className = "btn btn-primary";
      add.textContent = CE.cart.addLabel;
      const close = document.createElement("button");
      close.type = "button";
      close.className = "btn";
      close.textContent = "×";
      close.addEventListener("click", () => { dialog.close(); resolve(null); });
      form.append(heading, ...sets, add, close);
      form.addEventListener("submit", (event) => {
        const picked = sets.map((set) => [...set.querySelectorAll("input:checked")].map((i) => i.value));
        const bad = sets.find((set, i) => picked[i].length < +set.dataset.min || picked[i].length > +set.dataset.max);
        if (bad) { event.preventDefault(); bad.classList.add("choice-missing"); return; }
        resolve(picked);
      });
      dialog.append(form);
      dialog.addEventListener("close", () => dialog.remove());
      document.body.append(dialog);
      dialog.showModal();
    });
  }

  async function options(article) {
    const sets = article.option_groups.map((g) => fieldset(g.name, g.min_choices, g.max_choices,
      g.options.map((o) => ({ id: o.id, available: o.available,
        label: o.name + (o.price_delta_cents ? " (+" + (o.price_delta_cents / 100).toFixed(2) + " €)" : "") }))));
    const picked = await ask(article.name, sets);
    return picked && picked.flat();
  }

  async function slots(menu) {
    const sets = menu.slots.map((s) => fieldset(s.name, s.min_choices, s.max_choices,
      s.choices.map((c) => ({ id: c.article_id, available: c.available, label: c.name }))));
    const picked = await ask(menu.name, sets);
    if (!picked) return null;
    return Object.fromEntries(menu.slots.map((slot, i) => [slot.id, picked[i]]));
  }

  CE.cartChoices = { options, slots };
})();
