// The units of a new period: ticking a unit ticks every unit below it (the server counts a
// ticked unit's whole subtree anyway), unticking one below unticks the units above it, and a
// search box narrows the list. Without this script every unit is listed and the page says
// what a ticked parent means.
(function () {
  "use strict";
  function boxOf(li) { return li.querySelector(":scope > label input[type=checkbox]"); }
  function parentItem(li) { return li.parentElement.closest("li"); }

  function mark(tree) {
    // A parent shows "partly" when only some units below it are ticked.
    tree.querySelectorAll("li").forEach(function (li) {
      var box = boxOf(li);
      var below = li.querySelectorAll("li input[type=checkbox]");
      var ticked = 0;
      below.forEach(function (b) { if (b.checked) { ticked += 1; } });
      box.indeterminate = !box.checked && ticked > 0;
    });
  }

  document.querySelectorAll("[data-unit-tree]").forEach(function (tree) {
    tree.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches("input[type=checkbox]")) { return; }
      var li = box.closest("li");
      li.querySelectorAll("li input[type=checkbox]").forEach(function (b) { b.checked = box.checked; });
      if (!box.checked) {
        for (var up = parentItem(li); up; up = parentItem(up)) { boxOf(up).checked = false; }
      }
      mark(tree);
    });
    mark(tree);

    var search = tree.querySelector("[data-unit-search]");
    if (!search) { return; }
    var count = tree.querySelector("#unit-search-count");
    search.closest(".unit-search").hidden = false;
    search.addEventListener("input", function () {
      var words = search.value.trim().toLowerCase();
      var shown = 0;
      tree.querySelectorAll(".unit-tree-root li").forEach(function (li) {
        var match = !words || li.textContent.toLowerCase().indexOf(words) !== -1;
        li.hidden = !match;
        if (match && boxOf(li).parentElement.textContent.toLowerCase().indexOf(words) !== -1) { shown += 1; }
      });
      count.textContent = words && shown === 0 ? count.dataset.none : "";
    });
  });
}());
