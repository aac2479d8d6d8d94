// The intake form's small map: the caller's communities and grids as the only background (no tile server), and one pin.
export function create(element, areas, bounds, dotNet) {
    const map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    const layer = L.geoJSON(areas, {
        style: f => f.properties.kind === 'Community'
            ? { color: '#37506b', weight: 2, fill: false, dashArray: '5 4' }
            : { color: '#3a7bd5', weight: 1, fillColor: '#3a7bd5', fillOpacity: 0.08 },
        onEachFeature: (f, l) => {
            if (f.properties.kind === 'Grid') {
                l.bindTooltip(f.properties.name + '（' + (f.properties.communityName || '') + '）', { sticky: true });
            }
        },
    }).addTo(map);
    if (bounds) {
        map.fitBounds([[bounds.south, bounds.west], [bounds.north, bounds.east]], { padding: [8, 8] });
    } else {
        map.setView([39.9, 116.4], 13);
    }
    // Tests and scripts find the map through its element (to click at a known place).
    element.c360Map = map;
    let pin = null;
    const handle = {
        setPin(lon, lat) {
            if (pin) { pin.setLatLng([lat, lon]); }
            else { pin = L.circleMarker([lat, lon], { radius: 8, color: '#fff', weight: 2, fillColor: '#c8102e', fillOpacity: 1 }).addTo(map); }
        },
        clearPin() {
            if (pin) { pin.remove(); pin = null; }
        },
        dispose() { map.remove(); },
    };
    map.on('click', e => {
        const lon = Math.round(e.latlng.lng * 1e6) / 1e6;
        const lat = Math.round(e.latlng.lat * 1e6) / 1e6;
        handle.setPin(lon, lat);
        dotNet.invokeMethodAsync('OnMapClicked', lon, lat);
    });
    // The map may be laid out after creation (fonts, panels): measure again once the page settles.
    setTimeout(() => map.invalidateSize(), 200);
    layer.bringToBack();
    return handle;
}
