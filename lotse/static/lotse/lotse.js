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
