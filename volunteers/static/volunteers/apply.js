// Public application page: as the applicant types in the search box, the union list
// is refilled from the search endpoint (without JavaScript the GET form does the same).
document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("id_q");
  const select = document.getElementById("id_union");
  if (!input || !select || !input.dataset.searchUrl) return;
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q.length < 2) return;
      const response = await fetch(`${input.dataset.searchUrl}?q=${encodeURIComponent(q)}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      const data = await response.json();
      const current = select.value;
      select.replaceChildren(new Option("---------", ""));
      data.results.forEach((union) => {
        const chosen = String(union.id) === current;
        select.add(new Option(union.name, union.id, chosen, chosen));
      });
      if (data.results.length === 1) select.value = String(data.results[0].id);
    }, 250);
  });
});
