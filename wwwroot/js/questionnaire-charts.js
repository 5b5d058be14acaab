// One bar chart per choice or rating question, drawn from the table beside it (the table is the accessible copy).
(function () {
    if (typeof Chart === 'undefined') return;
    for (const canvas of document.querySelectorAll('canvas.result-chart')) {
        const rows = Array.from(document.querySelectorAll(`#${canvas.dataset.table} tbody tr`));
        new Chart(canvas, {
            type: 'bar',
            data: {
                labels: rows.map(r => r.querySelector('th').textContent.trim()),
                datasets: [{ label: canvas.dataset.label, data: rows.map(r => Number(r.querySelector('td').dataset.value)), backgroundColor: '#0b5394' }],
            },
            options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
        });
    }
})();
