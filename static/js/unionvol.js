// Behaviour that would otherwise need inline script (the CSP forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // <button data-confirm="…"> asks before submitting its form.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // <input type="checkbox" data-check-all="name"> toggles every checkbox with that name.
  document.querySelectorAll("[data-check-all]").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll(`input[type=checkbox][name="${box.dataset.checkAll}"]`)
        .forEach((other) => { other.checked = box.checked; });
    });
  });
  // A wide table scrolls inside its own box rather than widening the page (phones);
  // templates need not remember the wrapper.
  document.querySelectorAll("main table.table").forEach((table) => {
    if (table.closest(".table-responsive")) return;
    const wrapper = document.createElement("div");
    wrapper.className = "table-responsive";
    table.replaceWith(wrapper);
    wrapper.append(table);
  });
  // <a data-print> prints the page.
  document.querySelectorAll("[data-print]").forEach((el) => {
    el.addEventListener("click", (event) => { event.preventDefault(); window.print(); });
  });
});
