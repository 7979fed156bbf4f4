// Lotse front-end behaviour. No inline scripts anywhere (strict Content-Security-Policy).
// After htmx replaces part of a page, move keyboard focus to the element the server marked
// with data-focus (a new row, an error message), so screen-reader users hear what changed.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target.querySelector("[data-focus]") || null;
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
