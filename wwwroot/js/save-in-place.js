// Forms marked data-save-in-place (an answer to a comment or a group in the report editor) are saved in the
// background: the page stays where the clerk is, and says "saved" or why not beside the button. Anything else (a
// network failure) falls back to the ordinary post, which also works without script.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-save-in-place') || form.dataset.plain === 'true') return;
  event.preventDefault();
  let status = form.querySelector('.save-status');
  if (!status) {
    status = document.createElement('span');
    status.className = 'save-status ms-2 small';
    status.setAttribute('role', 'status');
    form.querySelector('button[type="submit"]').after(status);
  }
  status.textContent = document.documentElement.lang === 'en' ? 'Saving…' : '正在保存…';
  status.classList.remove('text-danger');
  let response;
  try {
    response = await fetch(form.action, { method: 'POST', body: new FormData(form), headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin', redirect: 'manual' });
  } catch {
    form.dataset.plain = 'true';
    form.requestSubmit();
    return;
  }
  if (response.status === 204) {
    const time = new Date().toLocaleTimeString(document.documentElement.lang === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' });
    status.textContent = (document.documentElement.lang === 'en' ? 'Saved at ' : '已保存 ') + time;
    // A group's answer is every comment's in it: the comments' forms show it too, so none is saved back stale.
    const group = form.classList.contains('cluster-form') ? form.closest('article') : null;
    if (group) {
      const outcome = form.querySelector('[name="outcome"]');
      const reason = form.querySelector('[name="reason"]');
      group.querySelectorAll('form.comment-outcome').forEach((comment) => {
        const select = comment.querySelector('[name="outcome"]');
        const text = comment.querySelector('[name="reason"]');
        if (select && outcome) select.value = outcome.value;
        if (text && reason) text.value = reason.value;
      });
    }
    return;
  }
  if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403) {
    window.location.reload();
    return;
  }
  const body = await response.json().catch(() => ({}));
  status.textContent = body.error || response.statusText;
  status.classList.add('text-danger');
});
