// Bar charts drawn from the tables beside them (the table is the accessible and printable copy): every
// <canvas class="result-chart" data-table="id"> charts the rows of that table, <th> as label, <td data-value> as number.
(function () {
    if (typeof Chart === 'undefined') return;
    for (const canvas of document.querySelectorAll('canvas.result-chart')) {
        const rows = Array.from(document.querySelectorAll(`#${canvas.dataset.table} tbody tr`));
        const colors = (canvas.dataset.colors || '#0b5394').split(' ');
        new Chart(canvas, {
            type: 'bar',
            data: {
                labels: rows.map(r => r.querySelector('th').textContent.trim()),
                datasets: [{ label: canvas.dataset.label, data: rows.map(r => Number(r.querySelector('td').dataset.value)), backgroundColor: colors }],
            },
            options: {
                animation: false, responsive: true, maintainAspectRatio: false,
                plugins: { legend: { display: false } },
                scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
            },
        });
    }
})();
