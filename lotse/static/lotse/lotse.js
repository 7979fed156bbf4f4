// Lotse front-end behaviour. No inline scripts anywhere (strict Content-Security-Policy).
// After htmx replaces part of a page, move keyboard focus to the element the server marked
// with data-focus (a new row, an error message), so screen-reader users hear what changed.
document.addEventListener("htmx:afterSwap", (event) => {
  // An outerHTML swap replaces the target itself: look in its successor (same id).
  let scope = event.detail.target;
  if (!scope.isConnected && scope.id) scope = document.getElementById(scope.id) || document;
  const target = scope.querySelector("[data-focus]") || null;
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
});

// "Add a row" buttons of formsets (data-formset-add names the TOTAL_FORMS input): the new
// row's index is the current form count, which then grows by one; focus moves to the new row.
document.addEventListener("htmx:configRequest", (event) => {
  const button = event.detail.elt;
  if (button && button.dataset && button.dataset.formsetAdd) {
    event.detail.parameters.index = document.getElementById(button.dataset.formsetAdd).value;
  }
});
document.addEventListener("htmx:afterSwap", (event) => {
  const button = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!(button && button.dataset && button.dataset.formsetAdd)) return;
  const total = document.getElementById(button.dataset.formsetAdd);
  total.value = String(Number(total.value) + 1);
  const rows = event.detail.target.querySelectorAll("[data-focus]");
  rows.forEach((row) => row.removeAttribute("data-focus"));
  if (rows.length) rows[rows.length - 1].focus();
});

// Tabs of the case file (WAI-ARIA tabs with manual activation): arrow keys, Home and End move
// the focus along the tabs; Enter or Space opens one (they are links, so this also works
// without JavaScript, where each tab simply loads the page with ?tab=…).
document.addEventListener("keydown", (event) => {
  const tab = event.target.closest && event.target.closest('[role="tab"]');
  if (!tab) return;
  const tabs = Array.from(tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]'));
  const index = tabs.indexOf(tab);
  let next = null;
  if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
  else if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
  else if (event.key === "Home") next = tabs[0];
  else if (event.key === "End") next = tabs[tabs.length - 1];
  else if (event.key === " ") {
    event.preventDefault();
    tab.click();
    return;
  }
  if (next) {
    event.preventDefault();
    tabs.forEach((t) => t.setAttribute("tabindex", t === next ? "0" : "-1"));
    next.focus();
  }
});

// Long lists (countries, languages: select[data-filter]) get a search box in front: typing
// hides the options whose name does not contain the text (case and accents ignored; the ISO
// code matches too). Chosen options stay chosen while hidden. Without JavaScript the list
// works as it is, and typing on it jumps to a name.
const fold = (text) =>
  text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ß/g, "ss");
function addListFilter(select) {
  if (select.dataset.filterReady) return;
  select.dataset.filterReady = "1";
  const input = document.createElement("input");
  input.type = "search";
  input.className = "kern-form-input__input list-filter";
  input.autocomplete = "off";
  input.setAttribute("aria-label", select.dataset.filter);
  input.placeholder = select.dataset.filter;
  input.setAttribute("aria-controls", select.id);
  (select.closest(".kern-form-input__select-wrapper") || select).before(input);
  input.addEventListener("input", () => {
    const query = fold(input.value.trim());
    for (const option of select.options) {
      option.hidden = query !== "" && option.value !== "" && !fold(option.text).includes(query)
        && fold(option.value) !== query;
    }
  });
  // Enter in the search box must not send the form.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
}
document.querySelectorAll("select[data-filter]").forEach(addListFilter);
document.addEventListener("htmx:afterSwap", (event) => {
  event.detail.target.querySelectorAll("select[data-filter]").forEach(addListFilter);
});
