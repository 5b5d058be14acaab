// Recomputes a meeting's draw in the visitor's own browser from the published data alone (docs/SELECTION.md), step
// by step: the SHA-256 fingerprint of the frozen list; the commitment SHA-256(secret); the lottery result normalised;
// the seed SHA-256(secret + "\n" + normalised result); the ranking by SHA-256(seed + "\n" + publicId); reserved seats
// first, then general seats; the waitlist. Says which step first differs. Uses Web Crypto; nothing is sent anywhere.
(function () {
    const button = document.getElementById('run-check');
    if (!button) return;
    const status = document.getElementById('check-status');
    const encoder = new TextEncoder();

    async function sha256(text) {
        const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
        return Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, '0')).join('');
    }

    // Ordinal comparison of strings, as the server sorts (public ids and hex digests are ASCII).
    const ordinal = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

    // The documented rule: full-width digits read as digits; each run of digits a number without leading zeros;
    // numbers joined by single spaces; everything else dropped. Fewer than two numbers is no result.
    function normalise(result) {
        if (!result) return null;
        const ascii = result.replace(/[０-９]/g, c => String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48));
        const numbers = (ascii.match(/[0-9]+/g) || []).map(n => n.replace(/^0+(?=[0-9])/, ''));
        return numbers.length < 2 ? null : numbers.join(' ');
    }

    async function recompute(draw) {
        const apps = draw.applications.slice().sort((a, b) => ordinal(a.publicId, b.publicId));
        const applicationsHash = await sha256(apps.map(a => `${a.publicId},${a.category}\n`).join(''));
        // A draw made before commitments existed ranks by the published seed itself.
        const committed = !!draw.commitment;
        const commitment = committed && draw.secret ? await sha256(draw.secret) : null;
        const normalisedResult = committed ? normalise(draw.publicResult) : null;
        const seed = committed ? (draw.secret && normalisedResult ? await sha256(draw.secret + '\n' + normalisedResult) : null) : draw.seed;
        const scored = await Promise.all(apps.map(async a => ({ app: a, score: await sha256(seed + '\n' + a.publicId) })));
        scored.sort((x, y) => ordinal(x.score, y.score) || ordinal(x.app.publicId, y.app.publicId));
        const ranking = scored.map(s => s.app);
        const selected = [];
        const taken = new Set();
        for (const quota of draw.quotas) {
            const room = Math.max(0, Math.min(quota.seats, draw.seats - selected.length));
            for (const a of ranking.filter(a => a.category === quota.category && !taken.has(a.publicId)).slice(0, room)) {
                selected.push(a.publicId);
                taken.add(a.publicId);
            }
        }
        for (const a of ranking.filter(a => !taken.has(a.publicId)).slice(0, Math.max(0, draw.seats - selected.length))) {
            selected.push(a.publicId);
            taken.add(a.publicId);
        }
        return {
            applicationsHash,
            commitment: committed ? commitment : draw.commitment,
            normalisedResult: committed ? normalisedResult : draw.normalisedResult,
            seed,
            ranking: ranking.map(a => a.publicId),
            selected,
            waitlist: ranking.filter(a => !taken.has(a.publicId)).map(a => a.publicId),
        };
    }

    const show = value => (Array.isArray(value) ? value.join(' ') : value || '');

    button.addEventListener('click', async () => {
        if (!window.crypto || !crypto.subtle) {
            status.textContent = button.dataset.unsupported;
            return;
        }
        status.textContent = button.dataset.waiting;
        delete status.dataset.result;
        const response = await fetch(`/api/v1/meetings/${button.dataset.meeting}/draw`, { headers: { Accept: 'application/json' } });
        const draw = await response.json();
        const computed = await recompute(draw);
        let firstFailure = null;
        for (const row of document.querySelectorAll('#check-results tbody tr')) {
            const part = row.dataset.part;
            const same = show(draw[part]) === show(computed[part]);
            if (!same && firstFailure === null) firstFailure = row;
            row.querySelector('.published').textContent = show(draw[part]);
            row.querySelector('.computed').textContent = show(computed[part]);
            row.querySelector('.verdict').textContent = same ? button.dataset.match : button.dataset.differs;
            row.classList.toggle('table-success', same);
            row.classList.toggle('table-danger', !same);
        }
        if (firstFailure === null) {
            status.textContent = button.dataset.match;
            status.dataset.result = 'match';
            delete status.dataset.failedPart;
        } else {
            status.textContent = button.dataset.failedAt.replace('{0}', firstFailure.querySelector('th').textContent);
            status.dataset.result = 'differs';
            status.dataset.failedPart = firstFailure.dataset.part;
        }
    });
})();
