// Where focus goes when a page arrives: to the error summary when a form came back with errors (its links move to
// the field, or the first of a group), else to the message confirming what was just done, so it is seen and read
// out even when it sits above a long page.
(function () {
  'use strict';
  const summary = document.getElementById('error-summary');
  if (summary) {
    summary.focus();
    summary.addEventListener('click', (event) => {
      const link = event.target.closest('a[data-field]');
      if (!link) return;
      const target = document.getElementById(link.getAttribute('href').slice(1))
        || document.querySelector(`[name="${CSS.escape(link.dataset.field)}"]`);
      if (!target) return;
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: 'center' });
    });
    return;
  }
  const status = document.getElementById('status-message') || document.querySelector('[data-arrival]');
  if (status) status.focus();
})();
