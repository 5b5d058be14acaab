// Where focus goes when a page arrives: to the error summary when a form came back with errors (its links move to
// the field, or the first of a group), else to the message confirming what was just done, so it is seen and read
// out even when it sits above a long page.
(function () {
  'use strict';
  // After the load and the browser's own jump to a #fragment, which would otherwise take focus back to the body.
  function arrive() {
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
    if (status) {
      status.focus();
      return;
    }
    // A link to a part of a page ("comment on this paragraph" → #comment-form) takes the keyboard there too, not only the view.
    const target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target !== document.body) {
      if (!target.hasAttribute('tabindex') && !target.matches('a[href], button, input, select, textarea')) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }
  if (document.readyState === 'complete') setTimeout(arrive, 0);
  else window.addEventListener('load', () => setTimeout(arrive, 0));
})();
