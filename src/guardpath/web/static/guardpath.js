// Moves the focus to a form's error summary when the page arrives with one, as the GOV.UK
// Design System does; without JavaScript the title's "Error:" prefix says it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-module=error-summary]");
  if (summary) { summary.focus(); }
});
