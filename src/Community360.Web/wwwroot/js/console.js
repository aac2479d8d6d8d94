// Community360 staff console helpers (no third-party code here: libraries come from npm into /lib).
(function () {
    'use strict';
    const loaded = new Map();

    function load(tag, attrs) {
        const key = attrs.src || attrs.href;
        if (!loaded.has(key)) {
            loaded.set(key, new Promise((resolve, reject) => {
                const el = document.createElement(tag);
                Object.assign(el, attrs);
                el.onload = () => resolve();
                el.onerror = () => reject(new Error('无法加载 ' + key));
                document.head.appendChild(el);
            }));
        }
        return loaded.get(key);
    }

    window.c360 = {
        /** Loads a script once (ECharts, Leaflet are only needed on their pages). */
        ensureScript: (src) => load('script', { src: src, async: false }),
        ensureStyle: (href) => load('link', { rel: 'stylesheet', href: href }),
    };

    // The session cookie slides only on HTTP requests, while an interactive page talks over its circuit: renew it
    // when the user is actually working (at most every 5 minutes), so activity, not page loads, keeps the session.
    let lastRenewal = Date.now();
    function renewIfActive() {
        const now = Date.now();
        if (now - lastRenewal < 5 * 60 * 1000) { return; }
        lastRenewal = now;
        fetch('/api/auth/me', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } }).catch(() => { });
    }
    document.addEventListener('click', renewIfActive, { passive: true });
    document.addEventListener('keydown', renewIfActive, { passive: true });
})();
