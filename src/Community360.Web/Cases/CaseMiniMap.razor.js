// A small Leaflet map of one case: its point and, when known, the boundary of its grid. No tile layer: the grid
// outline gives the place its shape, and the console must work where no tile server is reachable.
export function show(element, lon, lat, boundary, gridName) {
    const map = L.map(element, { zoomControl: true, attributionControl: false, scrollWheelZoom: false });
    map.setView([lat, lon], 16);
    let bounds = null;
    if (boundary) {
        const layer = L.geoJSON(boundary, { style: { color: '#1f6feb', weight: 2, fillOpacity: 0.08 } }).addTo(map);
        if (gridName) { layer.bindTooltip(gridName); }
        bounds = layer.getBounds();
    }
    if (lon !== null && lat !== null) {
        L.circleMarker([lat, lon], { radius: 8, color: '#c8102e', weight: 2, fillColor: '#c8102e', fillOpacity: 0.7 })
            .bindTooltip('事发位置').addTo(map);
        bounds = bounds ? bounds.extend([lat, lon]) : L.latLngBounds([[lat, lon], [lat, lon]]);
    }
    if (bounds && bounds.isValid()) {
        map.fitBounds(bounds.pad(0.2), { maxZoom: 17 });
    }
    return {
        dispose: () => map.remove(),
    };
}

export function dispose(handle) {
    if (handle) { handle.dispose(); }
}
