// Draws the outcome chart of an adoption report from the numbers in the table beside it (the table is what
// screen readers and printers use; the chart is for the eye).
(function () {
    const canvas = document.getElementById('outcome-chart');
    if (!canvas || typeof Chart === 'undefined') return;
    const rows = Array.from(document.querySelectorAll('#outcome-table tbody tr'));
    const labels = rows.map(r => r.querySelector('th').textContent.trim());
    const values = rows.map(r => Number(r.querySelector('td').dataset.value));
    new Chart(canvas, {
        type: 'bar',
        data: {
            labels,
            datasets: [{
                label: canvas.dataset.label,
                data: values,
                backgroundColor: ['#1b6e3a', '#4f7c1f', '#9a3412', '#4b5563'],
            }],
        },
        options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            plugins: { legend: { display: false } },
            scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
    });
})();
