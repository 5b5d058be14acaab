// Wide tables become stacked cards on a phone (site.css, under 576 px): each cell is labelled with its column's header
// (data-label), and the table's roles are stated outright, because a browser drops a table's semantics once its parts
// are no longer displayed as a table. Tables marked .no-stack (a calendar grid) stay tables.
(function () {
  'use strict';
  for (const table of document.querySelectorAll('main table:not(.no-stack)')) {
    const headers = [...table.querySelectorAll(':scope > thead > tr:last-child > th')];
    // Cells spanning rows would put labels in the wrong column: such a table stays a table.
    if (headers.length < 2 || table.querySelector('[rowspan]:not([rowspan="1"])')) continue;
    const labels = [];
    for (const th of headers) {
      for (let i = 0; i < (th.colSpan || 1); i++) labels.push(th.textContent.trim());
    }
    table.classList.add('stack-on-phone');
    table.setAttribute('role', 'table');
    for (const group of table.querySelectorAll(':scope > thead, :scope > tbody, :scope > tfoot')) group.setAttribute('role', 'rowgroup');
    for (const row of table.querySelectorAll(':scope > thead > tr, :scope > tbody > tr, :scope > tfoot > tr')) {
      row.setAttribute('role', 'row');
      let column = 0;
      for (const cell of row.children) {
        const head = row.parentElement.tagName === 'THEAD';
        if (cell.tagName === 'TH') cell.setAttribute('role', head ? 'columnheader' : 'rowheader');
        else cell.setAttribute('role', 'cell');
        if (!head && !cell.hasAttribute('data-label') && labels[column]) cell.setAttribute('data-label', labels[column]);
        column += cell.colSpan || 1;
      }
    }
    const caption = table.querySelector(':scope > caption');
    if (caption && !table.hasAttribute('aria-labelledby') && !table.hasAttribute('aria-label')) {
      if (!caption.id) caption.id = 'caption-' + Math.random().toString(36).slice(2);
      table.setAttribute('aria-labelledby', caption.id);
    }
  }
})();
