// In the English interface, the district's and residents' Chinese words (titles, comments, names) are marked
// lang="zh-CN", so screen readers read them with a Chinese voice instead of spelling them out in English. Text the
// site adds later (the live page) is marked as it arrives.
(function () {
  'use strict';
  const root = document.documentElement;
  if (!root.lang || !root.lang.toLowerCase().startsWith('en')) return;
  const han = /[\u3400-\u9fff\uf900-\ufaff]/;
  const skip = new Set(['SCRIPT', 'STYLE', 'TEXTAREA', 'OPTION', 'TITLE', 'NOSCRIPT']);

  function mark(node) {
    const parent = node.parentElement;
    if (!parent || skip.has(parent.tagName) || !han.test(node.nodeValue)) return;
    const speaker = parent.closest('[lang]');
    if (speaker && speaker.lang.toLowerCase().startsWith('zh')) return;
    if (parent.childNodes.length === 1 && parent !== document.body) {
      parent.lang = 'zh-CN';
      return;
    }
    const span = document.createElement('span');
    span.lang = 'zh-CN';
    parent.insertBefore(span, node);
    span.appendChild(node);
  }

  function markAll(container) {
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(mark);
  }

  markAll(document.body);
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === 'characterData') mark(change.target);
      change.addedNodes.forEach((n) => (n.nodeType === Node.TEXT_NODE ? mark(n) : n.nodeType === Node.ELEMENT_NODE && markAll(n)));
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
})();
