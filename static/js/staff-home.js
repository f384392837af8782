// The staff landing page: shows the links of the signed-in person's role.
(function () {
  "use strict";
  const { texts, guard } = CE.staff;
  guard(["sales", "tech"], texts.notStaff).then((person) => {
    for (const link of document.querySelectorAll("#staff-links [data-role]")) {
      link.hidden = link.dataset.role !== person.role;
    }
    document.getElementById("staff-links").hidden = false;
  }, () => null);
})();
