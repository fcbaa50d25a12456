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
  // The browser cuts a paste at a field's maxlength without a word (a 45-character name
  // arrives as 40). The limit moves to data-maxlength and an over-long value is only
  // marked: the server refuses it and names the limit.
  document.querySelectorAll("form[method=post] [maxlength]").forEach((field) => {
    field.dataset.maxlength = field.getAttribute("maxlength");
    field.removeAttribute("maxlength");
    const mark = () => {
      const over = field.value.length > Number(field.dataset.maxlength);
      if (over) field.classList.add("is-invalid", "js-too-long");
      else if (field.classList.contains("js-too-long")) field.classList.remove("is-invalid", "js-too-long");
    };
    field.addEventListener("input", mark);
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
