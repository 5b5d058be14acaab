// Live Q&A in the browser: the participant's page, the projector and the host's console, over the /hubs/live hub.
// Nothing polls: the hub pushes changes. After a lost connection the client joins again and redraws from the fresh
// snapshot, so it never misses what happened while it was away. All text is set with textContent (never as HTML).
(function () {
  'use strict';
  const root = document.getElementById('live');
  if (!root || !window.signalR) return;

  const mode = root.dataset.mode;
  const code = root.dataset.code;
  const text = JSON.parse(document.getElementById('live-text').textContent);
  const format = (template, value) => template.replace('{0}', value);
  const $ = (id) => document.getElementById(id);

  const state = { questions: new Map(), poll: null, myVotes: new Set(), myPoll: new Set(), sort: 'votes', joined: false, nickname: null };

  // Version 2 of the hub's protocol (docs/API.md): the session's changes arrive gathered, one frame per interval.
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(root.dataset.hub + (root.dataset.hub.includes('?') ? '&' : '?') + 'version=2')
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(10000, 500 * Math.pow(2, ctx.previousRetryCount)) })
    .build();

  // --- Connection status, said out loud to screen readers -----------------------------------------------------------
  const status = $('live-status');
  function showStatus(message, offline) {
    status.textContent = message || '';
    status.classList.toggle('offline', !!offline);
  }
  connection.onreconnecting(() => showStatus(text.Offline, true));
  connection.onreconnected(() => rejoin());
  connection.onclose(() => {
    // Automatic reconnection gave up (a long outage or a server restart): keep trying, slowly.
    showStatus(text.Offline, true);
    setTimeout(start, 5000);
  });

  async function start() {
    try {
      await connection.start();
    } catch (e) {
      showStatus(text.Offline, true);
      setTimeout(start, 5000);
      return;
    }
    await rejoin();
  }

  // Join again on a new connection, retrying until it works; a session that ended meanwhile shows its archive.
  let rejoinDelay = 1000;
  async function rejoin() {
    try {
      await enter();
      rejoinDelay = 1000;
      if (status.classList.contains('offline')) showStatus(text.Online, false);
    } catch (e) {
      if (connection.state !== signalR.HubConnectionState.Connected) return; // the reconnect handlers take over
      if (/ended|结束/.test(errorText(e))) { ended(); return; }
      showStatus(text.Offline, true);
      setTimeout(rejoin, rejoinDelay);
      rejoinDelay = Math.min(rejoinDelay * 2, 15000);
    }
  }

  // Join (participant or host) or watch (projector) and redraw everything from the snapshot.
  async function enter() {
    // The projector, and a participant's page before they join, only watch.
    const snapshot = mode === 'projector' || (mode === 'participant' && !state.joined && !state.joining)
      ? await connection.invoke('Watch', code)
      : await connection.invoke('Join', code, state.nickname || '');
    // Events that arrived while Join was on its way and are newer than the snapshot are kept.
    const newer = [...state.questions.values()].filter((q) => q.seq > snapshot.seq);
    state.questions = new Map(snapshot.questions.map((q) => [q.id, q]));
    newer.forEach((q) => state.questions.set(q.id, q));
    state.questions.forEach((q) => { if (!said.has(q.id)) said.set(q.id, q.status === 'answered' ? 'a:' + (q.answer || '') : 'q'); });
    state.poll = snapshot.poll;
    state.myVotes = new Set(snapshot.myVotes);
    state.myPoll = new Set(snapshot.myPollAnswer);
    if (snapshot.status === 'ended') ended();
    changed();
    return snapshot;
  }

  // --- Server events ---------------------------------------------------------------------------------------------------
  function upsert(q) {
    const known = state.questions.get(q.id);
    if (known && known.seq > q.seq) return; // an older state that arrived late
    if (q.pinned) state.questions.forEach((other) => { if (other.id !== q.id) other.pinned = false; });
    state.questions.set(q.id, q);
    announce(q);
    changed();
  }
  function updatePoll(poll) {
    // Only the current poll's totals, and only newer ones: a late update of an older poll must not replace it.
    const current = state.poll ? state.poll.id === poll.id && state.poll.seq <= poll.seq : poll.status === 'open';
    if (current) { state.poll = poll; drawPoll(); changed(); }
  }
  function votes(count, seq) {
    const known = state.questions.get(count.id);
    if (!known || known.seq > seq) return;
    known.votes = count.votes;
    known.seq = seq;
    changed();
  }
  const apply = {
    QuestionAdded: upsert,
    QuestionUpdated: upsert,
    QuestionHidden: (id) => { state.questions.delete(id); changed(); },
    Votes: votes,
    PollOpened: (poll) => { state.poll = poll; state.myPoll = new Set(); drawPoll(); changed(); },
    PollUpdated: updatePoll,
    PollClosed: (poll) => { state.poll = poll; drawPoll(); changed(); },
    SessionEnded: () => ended(),
    QueueChanged: () => changed(),
  };
  // A frame carries every change since the last one, in order; an unknown kind of change is skipped.
  connection.on('Frame', (frame) => {
    for (const item of frame.items) {
      const handler = apply[item.event];
      if (handler) handler(item.data, item.seq);
    }
  });

  // The session's end is said, asking is closed, and nothing typed is lost: the archive is one link away.
  function ended() {
    showStatus(text.Ended || '', false);
    if (mode !== 'participant') return;
    for (const id of ['ask-button', 'poll-submit']) if ($(id)) $(id).disabled = true;
    const link = $('archive-link');
    if (link) link.hidden = false;
  }

  // --- Drawing ----------------------------------------------------------------------------------------------------------
  let pending = false;
  function changed() {
    // Many events in a burst make one redraw.
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  }

  function visibleQuestions() {
    const list = [...state.questions.values()].filter((q) => q.status === 'visible' || q.status === 'answered');
    if (state.sort === 'time') return list.sort((a, b) => b.id - a.id);
    return list.sort((a, b) => (b.pinned - a.pinned) || (b.votes - a.votes) || (a.id - b.id));
  }

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = content;
    return node;
  }

  function draw() {
    if (mode === 'host') return refreshPanel();
    if (mode === 'projector') return drawProjector();
    drawParticipant();
  }

  // The participant's list is updated in place, keyed by question id: a vote (anyone's) changes a count, not the
  // page, so focus stays where the person is. While updates are paused, only counts and one's own votes change, and
  // a button says how many new questions wait.
  const rows = new Map();
  let paused = false;
  let waiting = new Set();

  function row(q) {
    let li = rows.get(q.id);
    if (!li) {
      li = el('li', 'live-question');
      li.id = 'q-' + q.id;
      li.append(el('span', 'badge text-bg-primary me-1 pinned-badge', text.Pinned));
      const p = el('p', 'question-text mb-1');
      p.id = 'q-text-' + q.id;
      li.append(p, el('p', 'small mb-1 question-meta'), el('p', 'live-answer mb-1'));
      const button = el('button', 'btn btn-sm vote-button');
      button.type = 'button';
      button.id = 'vote-' + q.id;
      button.append(el('span', 'vote-word'), ' ', el('span', 'vote-count'), el('span', 'visually-hidden vote-for'));
      button.addEventListener('click', () => vote(q.id, state.myVotes.has(q.id)));
      li.append(button);
      rows.set(q.id, li);
    }
    const set = (selector, value) => { const node = li.querySelector(selector); if (node.textContent !== value) node.textContent = value; };
    li.classList.toggle('pinned', !!q.pinned);
    li.querySelector('.pinned-badge').hidden = !q.pinned;
    set('.question-text', q.text);
    const meta = li.querySelector('.question-meta');
    const when = new Date(q.askedAt).toLocaleTimeString(document.documentElement.lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' });
    if (meta.dataset.key !== (q.author || '') + when) {
      meta.dataset.key = (q.author || '') + when;
      const time = el('time', null, when);
      time.dateTime = q.askedAt;
      meta.replaceChildren(el('span', null, q.author || text.Anonymous), ' · ', time);
    }
    const answer = li.querySelector('.live-answer');
    answer.hidden = q.status !== 'answered';
    if (q.status === 'answered' && answer.dataset.text !== (q.answer || '')) {
      answer.dataset.text = q.answer || '';
      answer.replaceChildren(el('span', 'badge text-bg-success me-1', text.Answered), q.answer || text.AnsweredLive);
    }
    const button = li.querySelector('.vote-button');
    button.hidden = !state.joined; // watching: votes come with joining
    const voted = state.myVotes.has(q.id);
    if (button.getAttribute('aria-pressed') !== String(voted)) button.setAttribute('aria-pressed', String(voted));
    set('.vote-word', voted ? text.Voted : text.Vote);
    set('.vote-count', format(text.Votes, q.votes));
    set('.vote-for', '：' + q.text);
    return li;
  }

  function drawParticipant() {
    const list = $('questions');
    const items = visibleQuestions();
    const shown = new Set(items.map((q) => q.id));
    const focused = document.activeElement;
    const keepFocus = focused && list.contains(focused) ? focused : null;
    if (paused) {
      // Counts and own votes only; new questions wait behind the button.
      for (const q of items) {
        if (rows.has(q.id) && rows.get(q.id).isConnected) row(q); else waiting.add(q.id);
      }
      showWaiting();
    } else {
      for (const [id, li] of rows) if (!shown.has(id)) { li.remove(); rows.delete(id); }
      let before = list.firstElementChild;
      for (const q of items) {
        const li = row(q);
        if (li === before) { before = li.nextElementSibling; continue; }
        list.insertBefore(li, before);
      }
      const empty = list.querySelector('.empty-state');
      if (items.length === 0 && !empty) list.append(el('li', 'empty-state', text.NoQuestions));
      if (items.length > 0 && empty) empty.remove();
      waiting = new Set();
      showWaiting();
    }
    // Moving a row takes focus off its button; it goes back without scrolling.
    if (keepFocus && document.activeElement !== keepFocus && keepFocus.isConnected) keepFocus.focus({ preventScroll: true });
    drawPoll();
  }

  function showWaiting() {
    const button = $('new-questions');
    if (!button) return;
    button.hidden = !paused || waiting.size === 0;
    const label = format(text.NewQuestions, waiting.size);
    if (button.textContent !== label) button.textContent = label;
  }

  // New questions and new answers are said once, politely, by a region of their own.
  const said = new Map();
  function announce(q) {
    const region = $('live-announcer');
    if (!region || mode !== 'participant' || !state.joined) return;
    const visible = q.status === 'visible' || q.status === 'answered';
    const key = q.status === 'answered' ? 'a:' + (q.answer || '') : visible ? 'q' : '';
    if (!key || said.get(q.id) === key) return;
    const first = !said.has(q.id);
    said.set(q.id, key);
    if (q.status === 'answered') region.textContent = format(text.AnnounceAnswer, q.text);
    else if (first) region.textContent = format(text.AnnounceQuestion, q.text);
  }

  function drawProjector() {
    const items = visibleQuestions();
    const pinned = items.find((q) => q.pinned);
    $('pinned-panel').hidden = !pinned;
    $('pinned-question').textContent = pinned ? pinned.text : '';
    const list = $('questions');
    list.replaceChildren();
    const top = items.filter((q) => !q.pinned && q.status === 'visible').sort((a, b) => (b.votes - a.votes) || (a.id - b.id)).slice(0, 5);
    if (top.length === 0 && !pinned) list.append(el('li', 'empty-state', text.NoQuestions));
    for (const q of top) {
      const li = el('li', 'projector-question');
      li.id = 'q-' + q.id;
      li.append(el('span', 'projector-votes', format(text.Votes, q.votes)), el('span', 'projector-text', q.text));
      list.append(li);
    }
    drawPoll();
  }

  function drawResults(container, poll) {
    container.replaceChildren();
    const max = Math.max(1, ...poll.options.map((o) => o.votes));
    for (const o of poll.options) {
      const li = el('li', 'poll-result');
      const label = el('span', 'poll-label', o.text + '：' + format(text.PollVotes, o.votes));
      const bar = el('span', 'poll-bar');
      bar.style.width = Math.round(100 * o.votes / max) + '%';
      bar.setAttribute('aria-hidden', 'true');
      li.append(label, bar);
      container.append(li);
    }
  }

  function drawPoll() {
    const panel = $('poll-panel');
    if (!panel) return;
    const poll = state.poll;
    panel.hidden = !poll;
    if (!poll) return;
    if (mode === 'projector') {
      $('poll-question').textContent = poll.question + (poll.status === 'closed' ? '（' + text.PollClosed + '）' : '');
      drawResults($('poll-results'), poll);
      return;
    }
    $('poll-question').textContent = poll.question;
    const answered = state.myPoll.size > 0;
    const open = poll.status === 'open';
    const form = $('poll-form');
    form.hidden = answered || !open;
    const options = $('poll-options');
    if (!form.hidden && options.dataset.poll !== String(poll.id)) {
      options.dataset.poll = String(poll.id);
      options.replaceChildren();
      for (const o of poll.options) {
        const wrap = el('div', 'form-check');
        const input = el('input', 'form-check-input');
        input.type = poll.multiple ? 'checkbox' : 'radio';
        input.name = 'poll-option';
        input.value = o.id;
        input.id = 'poll-option-' + o.id;
        const label = el('label', 'form-check-label', o.text);
        label.htmlFor = input.id;
        wrap.append(input, label);
        options.append(wrap);
      }
    }
    const results = $('poll-results');
    if (answered || !open) drawResults(results, poll); else results.replaceChildren();
    const pollMessage = !open ? text.PollClosed : answered ? text.PollThanks : '';
    if ($('poll-message').textContent !== pollMessage) $('poll-message').textContent = pollMessage;
  }

  // The host's console is rendered on the server; a push only says "something changed", and the panel is fetched
  // again, at most once a second however many votes stream in.
  let refreshing = null;
  let lastRefresh = 0;
  function refreshPanel() {
    if (refreshing) { refreshing.again = true; return; }
    const wait = lastRefresh + 1000 - Date.now();
    if (wait > 0) { refreshing = { again: false }; setTimeout(() => { refreshing = null; refreshPanel(); }, wait); return; }
    lastRefresh = Date.now();
    refreshing = { again: false };
    fetch(root.dataset.panel, { headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin', redirect: 'manual' })
      .then((r) => {
        // Signed out meanwhile: the whole page goes to the sign-in page rather than putting it inside the console.
        if (r.type === 'opaqueredirect' || r.status === 401 || r.status === 403) { window.location.reload(); return Promise.reject(r.status); }
        return r.ok ? r.text() : Promise.reject(r.status);
      })
      .then((html) => {
        const panel = $('host-panel');
        const focused = document.activeElement && document.activeElement.id;
        const openDetails = [...panel.querySelectorAll('details[open]:not([id]) summary')].map((s) => s.textContent);
        const openIds = [...panel.querySelectorAll('details[open][id]')].map((d) => d.id);
        // What the host is typing (an answer, a poll) survives the redraw.
        const typed = [...panel.querySelectorAll('textarea[id], input[id]:not([type=hidden])')].filter((f) => f.value !== f.defaultValue).map((f) => [f.id, f.value]);
        // So does a field's "this is wrong, and why" while the host corrects it.
        const invalid = [...panel.querySelectorAll('[aria-invalid="true"][id]')].map((f) => [f.id, f.getAttribute('aria-describedby')]);
        panel.innerHTML = html; // our own server-rendered, encoded HTML
        invalid.forEach(([id, described]) => { if ($(id)) { $(id).setAttribute('aria-invalid', 'true'); if (described) $(id).setAttribute('aria-describedby', described); } });
        panel.querySelectorAll('details:not([id]) summary').forEach((s) => { if (openDetails.some((t) => t.split('（')[0] === s.textContent.split('（')[0])) s.parentElement.open = true; });
        openIds.forEach((id) => { if ($(id)) $(id).open = true; });
        typed.forEach(([id, value]) => { if ($(id)) $(id).value = value; });
        if (focused && $(focused)) $(focused).focus();
      })
      .catch(() => {})
      .finally(() => { const again = refreshing.again; refreshing = null; if (again) refreshPanel(); });
  }

  // --- Participant actions ----------------------------------------------------------------------------------------
  function errorText(e) {
    const message = (e && e.message) || String(e);
    const marker = 'HubException: ';
    return message.includes(marker) ? message.slice(message.indexOf(marker) + marker.length) : message;
  }

  async function vote(id, withdraw) {
    try {
      await connection.invoke(withdraw ? 'Unvote' : 'Vote', id);
      if (withdraw) state.myVotes.delete(id); else state.myVotes.add(id);
      const q = state.questions.get(id);
      if (q) q.votes += withdraw ? -1 : 1; // shown at once; the pushed count follows
      changed();
    } catch (e) {
      $('ask-message').textContent = errorText(e);
    }
  }

  if (mode === 'participant') {
    const joinForm = $('join-form');
    const storageKey = 'engagement-live-nickname';
    if (joinForm) {
      $('nickname').value = localStorage.getItem(storageKey) || '';
      joinForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        state.nickname = $('nickname').value.trim();
        $('join-error').textContent = '';
        try {
          await ready;
          state.joining = true;
          const snapshot = await enter().finally(() => { state.joining = false; });
          state.joined = true;
          if (state.nickname) localStorage.setItem(storageKey, state.nickname);
          localStorage.setItem('engagement-live-joined-' + code, '1');
          joinForm.hidden = true;
          $('live-main').hidden = false;
          $('joined-as').textContent = snapshot.nickname;
          draw();
          // Focus to what just changed (the page says who joined), not past the title into the question box.
          $('joined-as').focus();
        } catch (e) {
          $('join-error').textContent = errorText(e);
        }
      });
    }

    const textarea = $('question-text');
    const counter = () => { $('question-count').textContent = format(text.CharactersLeft, textarea.maxLength - textarea.value.length); };
    textarea.addEventListener('input', counter);
    counter();
    $('ask-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const message = $('ask-message');
      try {
        const result = await connection.invoke($('ask-anonymous').checked ? 'AskAnonymously' : 'Ask', textarea.value);
        textarea.value = '';
        counter();
        message.textContent = result.status === 'pending' ? text.SentPending : text.Sent;
      } catch (e) {
        message.textContent = errorText(e);
      }
    });

    $('poll-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const chosen = [...document.querySelectorAll('input[name="poll-option"]:checked')].map((i) => Number(i.value));
      try {
        const poll = await connection.invoke('AnswerPoll', state.poll.id, chosen);
        state.myPoll = new Set(chosen);
        state.poll = poll;
        drawPoll();
        $('poll-message').focus(); // the form is gone; focus stays with the thanks and the results below it
      } catch (e) {
        $('poll-message').textContent = errorText(e);
      }
    });

    $('pause-updates').addEventListener('click', () => {
      paused = !paused;
      $('pause-updates').setAttribute('aria-pressed', String(paused));
      draw();
    });
    $('new-questions').addEventListener('click', () => {
      paused = false;
      $('pause-updates').setAttribute('aria-pressed', 'false');
      draw();
      const first = $('questions').firstElementChild;
      $('questions-heading').focus();
      if (first) first.scrollIntoView({ block: 'nearest' });
    });

    for (const [id, sort] of [['sort-votes', 'votes'], ['sort-time', 'time']]) {
      $(id).addEventListener('click', () => {
        state.sort = sort;
        $('sort-votes').setAttribute('aria-pressed', sort === 'votes' ? 'true' : 'false');
        $('sort-time').setAttribute('aria-pressed', sort === 'time' ? 'true' : 'false');
        draw();
      });
    }
  }

  if (mode === 'host') {
    // Forms post in the background and the panel redraws; without script they post and come back as usual.
    root.closest('main').addEventListener('submit', async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post' || form.action.endsWith('/host/end')) return;
      event.preventDefault();
      const response = await fetch(form.action, { method: 'POST', body: new FormData(form), headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin', redirect: 'manual' });
      const message = $('host-message');
      if (response.type === 'opaqueredirect' || response.status === 401 || response.status === 403) {
        window.location.reload(); // signed out meanwhile: nothing was done, and the page says so
        return;
      }
      const fields = [...form.querySelectorAll('input:not([type=hidden]), textarea')];
      fields.forEach((field) => field.removeAttribute('aria-invalid'));
      if (response.ok) {
        message.textContent = '';
        if (form.action.endsWith('/host/polls')) form.reset();
        if (form.action.endsWith('/host/cohosts')) window.location.reload();
        refreshPanel();
        return;
      }
      // The error pattern of a form that stays on the page: the reason beside the form, the field it concerns
      // marked invalid and described by it, and focus there so the reason is read out and the host can correct.
      const body = await response.json().catch(() => ({}));
      message.textContent = body.error || response.statusText;
      const wrong = fields.find((field) => field.value.trim() === '') || fields[0];
      if (wrong) {
        wrong.setAttribute('aria-invalid', 'true');
        const described = (wrong.getAttribute('aria-describedby') || '').split(/\s+/).filter((id) => id && id !== 'host-message');
        wrong.setAttribute('aria-describedby', [...described, 'host-message'].join(' '));
        wrong.focus();
      } else {
        message.focus();
      }
      // The panel is not redrawn: it would replace the form being corrected.
    });
  }

  const ready = start();
  // Signed-in people, and browsers that joined this session before, go straight in.
  if (mode === 'participant' && $('join-form') && (root.dataset.autoJoin === 'true' || localStorage.getItem('engagement-live-joined-' + code))) {
    $('join-form').requestSubmit();
  }
})();
