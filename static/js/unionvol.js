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
  // A search box for the bounded pickers (unions/widgets.py: unions; service/widgets.py:
  // a team's candidates): it asks the widget's search URL (answers {results: [{id,
  // label}], more}, within the user's scope) 250 ms after typing stops, or at Enter — which must not
  // submit the form — and hands the newest answer to found(results, more); an emptied
  // box calls cleared(). The texts come translated in the widget's data attributes.
  const searchBox = (data, url, { found, cleared }) => {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 union-search";
    box.placeholder = data.searchPlaceholder;
    box.setAttribute("aria-label", data.searchPlaceholder);
    const status = document.createElement("div");
    status.className = "form-text union-search-status";
    status.setAttribute("aria-live", "polite");
    let asked = 0;
    let timer = null;
    const search = () => {
      const term = box.value.trim();
      const ticket = ++asked;
      status.textContent = "";
      if (!term) {
        cleared();
        return;
      }
      const sep = url.includes("?") ? "&" : "?";
      fetch(`${url}${sep}q=${encodeURIComponent(term)}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((answer) => {
          if (ticket !== asked) return;
          const n = answer.results.length;
          if (!n) status.textContent = data.searchNone;
          else if (answer.more) status.textContent = data.searchMore.replace("{n}", n);
          else if (data.searchFound) status.textContent = data.searchFound.replace("{n}", n);
          found(answer.results, answer.more);
        })
        .catch(() => { if (ticket === asked) status.textContent = data.searchFailed; });
    };
    box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 250); });
    box.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      clearTimeout(timer);
      search();
    });
    return { box, status };
  };
  const option = (value, label) => {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  };
  // <select data-search> (UnionPicker, CandidatePicker) lists what the page offers.
  // The matches replace the list: one is chosen at once; several open as a list box
  // with the first chosen (or the match picked before), so what the form will send is
  // always what is shown. An emptied box lists the page's unions again, keeping a
  // union found before.
  document.querySelectorAll("select[data-search]").forEach((select) => {
    const original = Array.from(select.options).map((o) => o.cloneNode(true));
    const empty = original.find((o) => o.value === "" && !o.disabled);
    const { box, status } = searchBox(select.dataset, select.dataset.search, {
      found: (results) => {
        if (!results.length) return;
        const previous = select.value;
        const listed = results.map((r) => option(r.id, r.label));
        select.replaceChildren(...(empty ? [empty.cloneNode(true)] : []), ...listed);
        const kept = results.some((r) => String(r.id) === previous);
        select.value = kept ? previous : String(results[0].id);
        select.size = results.length > 1 ? Math.min(select.options.length, 8) : 0;
      },
      cleared: () => {
        const current = select.selectedOptions[0];
        const options = original.map((o) => o.cloneNode(true));
        if (current && current.value && !options.some((o) => o.value === current.value)) {
          options.splice(empty ? 1 : 0, 0, current.cloneNode(true));
        }
        select.replaceChildren(...options);
        if (current) select.value = current.value;
        select.size = 0;
      },
    });
    if (select.id) box.setAttribute("aria-controls", select.id);
    select.before(box);
    select.after(status);
    // The list box closes when a match is clicked or the select is left; arrow keys
    // move through the matches without closing it.
    select.addEventListener("click", () => { if (select.size > 1) select.size = 0; });
    select.addEventListener("blur", () => { select.size = 0; });
  });
  // Checkboxes with data-search-multi (UnionChecklist, CandidateChecklist) list what
  // the page offers and what is ticked; a click on a match adds it as a ticked box (or
  // ticks the box already there).
  const checklists = new Map();
  document.querySelectorAll("input[type=checkbox][data-search-multi]").forEach((box) => {
    if (!checklists.has(box.name)) checklists.set(box.name, box);
  });
  checklists.forEach((first, name) => {
    const list = first.closest(".form-check").parentElement;
    const matches = document.createElement("div");
    matches.className = "union-search-results mb-1";
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
    const { box, status } = searchBox(first.dataset, first.dataset.searchMulti, {
      found: (results) => {
        matches.replaceChildren(...results.map((r) => {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "btn btn-sm btn-outline-secondary me-1 mb-1";
          button.textContent = `+ ${r.label}`;
          button.addEventListener("click", () => tick(r.id, r.label));
          return button;
        }));
      },
      cleared: () => matches.replaceChildren(),
    });
    status.classList.add("mb-1");
    list.before(box, status, matches);
  });
  // The union tree (unions/tree.html) reads a level when it is first opened:
  // <details data-children-url> fetches its children's fragment. "toggle" does not
  // bubble, so one listener catches it on the way down, for the levels inserted later too.
  document.addEventListener("toggle", (event) => {
    const node = event.target;
    if (!(node instanceof HTMLDetailsElement) || !node.open || !node.dataset.childrenUrl) return;
    const url = node.dataset.childrenUrl;
    delete node.dataset.childrenUrl;  // once
    const level = node.querySelector(":scope > .union-level");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then((html) => {
        const holder = document.createElement("div");
        holder.innerHTML = html;
        level.replaceWith(...holder.children);
      })
      .catch(() => {
        node.dataset.childrenUrl = url;  // opening it again tries again
        level.replaceChildren(Object.assign(document.createElement("li"), {
          className: "text-danger small",
          textContent: level.dataset.failed || "加载失败，请打开该工会的页面查看下级工会。",
        }));
      });
  }, true);
  // <a data-print> prints the page.
  document.querySelectorAll("[data-print]").forEach((el) => {
    el.addEventListener("click", (event) => { event.preventDefault(); window.print(); });
  });
});
