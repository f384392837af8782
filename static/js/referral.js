// Referral page: one's code and share link, and the people who signed up with it.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const text = CE.account.messages();

  function cell(content, className) {
    const td = document.createElement("td");
    const span = document.createElement("span");
    span.textContent = content;
    if (className) span.className = className;
    td.appendChild(span);
    return td;
  }

  function show(referral) {
    $("referral-code").textContent = referral.code;
    $("share-url").value = referral.share_url;
    $("referral-earned").textContent = CE.account.formatCents(referral.earned_cents);
    $("referral-reward").textContent = referral.reward_cents > 0
      ? CE.account.fill(text.rewardEach, { amount: CE.account.formatCents(referral.reward_cents) })
      : text.noReward;
    const rows = referral.referees.map((referee) => {
      const row = document.createElement("tr");
      row.append(cell(referee.initial || text.erased),
        cell(CE.account.formatDate(referee.joined_at, false)),
        cell(referee.rewarded ? text.rewarded : text.waiting, referee.rewarded ? "badge" : "muted"));
      return row;
    });
    $("referees").replaceChildren(...rows);
    $("referees-table").hidden = rows.length === 0;
    $("no-referees").hidden = rows.length > 0;
    $("referral").hidden = false;
  }

  function problem(error) {
    if (error.status === 401) $("referral-signin").hidden = false;
    if (error.status === 401 && !error.problem.type) return;
    $("referral-alert").textContent = CE.account.explain(error);
    $("referral-alert").hidden = false;
  }

  $("copy-link").addEventListener("click", async () => {
    $("share-url").select();
    try {
      await navigator.clipboard.writeText($("share-url").value);
    } catch (error) {
      document.execCommand("copy");
    }
    CE.toast(text.copied, "ok");
  });
  CE.api("/me/referral").then(show, problem);
})();
