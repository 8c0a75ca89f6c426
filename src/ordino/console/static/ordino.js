// Small and optional: the pages work without it. A button that changes an order
// asks first when it carries data-confirm.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
