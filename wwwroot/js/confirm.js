// Forms that do something hard to undo (cancelling a place, blocking a participant, publishing a report) carry
// data-confirm with the question to ask. Listening in the capture phase, before any script that posts the form in
// the background, so a "no" stops it everywhere. Without script the form posts as before.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
