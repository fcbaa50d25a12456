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
  // <select data-union-search="/unions/search/?…"> (unions.widgets.UnionPicker) lists
  // only the base union and its children; a search box above it fetches the other
  // unions of the user's scope by name or code and lists them in the select.
  document.querySelectorAll("select[data-union-search]").forEach((select) => {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 union-search";
    box.placeholder = select.dataset.searchPlaceholder;
    box.setAttribute("aria-label", select.dataset.searchPlaceholder);
    if (select.id) box.setAttribute("aria-controls", select.id);
    const status = document.createElement("div");
    status.className = "form-text union-search-status";
    status.setAttribute("aria-live", "polite");
    select.before(box);
    select.after(status);
    const original = Array.from(select.options).map((o) => o.cloneNode(true));
    const url = select.dataset.unionSearch;
    let asked = 0;
    let timer = null;
    const option = (value, label) => {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = label;
      return o;
    };
    // The matches replace the list: one is chosen at once; several open as a list box
    // with the first chosen, so what the form will send is always what is shown.
    const fill = (results, more) => {
      if (!results.length) {
        status.textContent = select.dataset.searchNone;
        return;
      }
      const empty = original.find((o) => o.value === "" && !o.disabled);
      const listed = results.map((r) => option(r.id, r.label));
      const previous = select.value;  // a match picked before this search stays picked
      select.replaceChildren(...(empty ? [empty.cloneNode(true)] : []), ...listed);
      const kept = results.some((r) => String(r.id) === previous);
      select.value = kept ? previous : String(results[0].id);
      select.size = results.length > 1 ? Math.min(listed.length + (empty ? 1 : 0), 8) : 0;
      const text = more ? select.dataset.searchMore : select.dataset.searchFound;
      status.textContent = text.replace("{n}", results.length);
    };
    // An empty search box lists the page's unions again, keeping a union found before.
    const restore = () => {
      const current = select.selectedOptions[0];
      const options = original.map((o) => o.cloneNode(true));
      if (current && current.value && !options.some((o) => o.value === current.value)) {
        options.splice(options[0] && options[0].value === "" ? 1 : 0, 0, current.cloneNode(true));
      }
      select.replaceChildren(...options);
      if (current) select.value = current.value;
      select.size = 0;
      status.textContent = "";
    };
    const search = () => {
      const term = box.value.trim();
      const ticket = ++asked;
      if (!term) {
        restore();
        return;
      }
      const sep = url.includes("?") ? "&" : "?";
      fetch(`${url}${sep}q=${encodeURIComponent(term)}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((data) => { if (ticket === asked) fill(data.results, data.more); })
        .catch(() => { if (ticket === asked) status.textContent = select.dataset.searchFailed; });
    };
    box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 250); });
    // The list box closes when a match is clicked or the select is left; arrow keys
    // move through the matches without closing it.
    select.addEventListener("click", () => { if (select.size > 1) select.size = 0; });
    select.addEventListener("blur", () => { select.size = 0; });
    // Enter in the search box searches; it must not submit the form.
    box.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      clearTimeout(timer);
      search();
    });
  });
  // Checkboxes with data-union-search-multi (unions.widgets.UnionChecklist) list the
  // base union's children and the unions ticked; a search box above them finds any other
  // union below the base, and a click on a match adds it as a ticked box.
  const checklists = new Map();
  document.querySelectorAll("input[type=checkbox][data-union-search-multi]").forEach((box) => {
    if (!checklists.has(box.name)) checklists.set(box.name, box);
  });
  checklists.forEach((first, name) => {
    const list = first.closest(".form-check").parentElement;
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 union-search";
    box.placeholder = first.dataset.searchPlaceholder;
    box.setAttribute("aria-label", first.dataset.searchPlaceholder);
    const found = document.createElement("div");
    found.className = "union-search-results mb-1";
    const status = document.createElement("div");
    status.className = "form-text union-search-status mb-1";
    status.setAttribute("aria-live", "polite");
    list.before(box, status, found);
    const url = first.dataset.unionSearchMulti;
    let asked = 0;
    let timer = null;
    const tick = (id, label) => {
      const existing = list.querySelector(`input[type=checkbox][value="${id}"]`);
      if (existing) {
        existing.checked = true;
        existing.focus();
        return;
      }
      const row = document.createElement("div");
      row.className = "form-check";
      const input = document.createElement("input");
      input.type = "checkbox";
      input.className = "form-check-input";
      input.name = name;
      input.value = id;
      input.id = `id_${name}_found_${id}`;
      input.checked = true;
      const text = document.createElement("label");
      text.className = "form-check-label";
      text.htmlFor = input.id;
      text.textContent = label;
      row.append(input, text);
      list.append(row);
      input.focus();
    };
    const search = () => {
      const term = box.value.trim();
      const ticket = ++asked;
      found.replaceChildren();
      status.textContent = "";
      if (!term) return;
      const sep = url.includes("?") ? "&" : "?";
      fetch(`${url}${sep}q=${encodeURIComponent(term)}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((data) => {
          if (ticket !== asked) return;
          if (!data.results.length) { status.textContent = first.dataset.searchNone; return; }
          if (data.more) status.textContent = first.dataset.searchMore.replace("{n}", data.results.length);
          found.replaceChildren(...data.results.map((r) => {
            const button = document.createElement("button");
            button.type = "button";
            button.className = "btn btn-sm btn-outline-secondary me-1 mb-1";
            button.textContent = `+ ${r.label}`;
            button.addEventListener("click", () => tick(r.id, r.label));
            return button;
          }));
        })
        .catch(() => { if (ticket === asked) status.textContent = first.dataset.searchFailed; });
    };
    box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 250); });
    box.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      clearTimeout(timer);
      search();
    });
  });
  // <a data-print> prints the page.
  document.querySelectorAll("[data-print]").forEach((el) => {
    el.addEventListener("click", (event) => { event.preventDefault(); window.print(); });
  });
});
