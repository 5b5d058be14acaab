// Bar charts drawn from the tables beside them (the table is the accessible and printable copy): every
// <canvas class="result-chart" data-table="id"> charts the rows of that table, <th> as label, <td data-value> as number.
// With data-series="A|B" each of the first columns becomes one series (A from the first <td>, B from the second).
(function () {
    if (typeof Chart === 'undefined') return;
    // Chart text follows the page: larger in elder mode (the root font size), never below 14 px.
    const rootSize = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    Chart.defaults.font.size = Math.max(14, Math.round(rootSize * (document.documentElement.classList.contains('elder') ? 0.9 : 0.8)));
    Chart.defaults.color = '#111';
    for (const canvas of document.querySelectorAll('canvas.result-chart')) {
        const rows = Array.from(document.querySelectorAll(`#${canvas.dataset.table} tbody tr`));
        const colors = (canvas.dataset.colors || '#0b5394').split(' ');
        const series = canvas.dataset.series ? canvas.dataset.series.split('|') : null;
        const value = (row, i) => Number(row.querySelectorAll('td')[i].dataset.value || 0);
        const datasets = series
            ? series.map((label, i) => ({ label, data: rows.map(r => value(r, i)), backgroundColor: colors[i % colors.length] }))
            : [{ label: canvas.dataset.label, data: rows.map(r => value(r, 0)), backgroundColor: colors }];
        new Chart(canvas, {
            type: 'bar',
            data: { labels: rows.map(r => r.querySelector('th').textContent.trim()), datasets },
            options: {
                animation: false, responsive: true, maintainAspectRatio: false,
                plugins: { legend: { display: series !== null } },
                scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
            },
        });
    }
})();
