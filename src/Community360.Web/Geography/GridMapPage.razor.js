// Grid map: community outlines, grids coloured by a measure, clustered case pins. Leaflet (global L) and
// markercluster are loaded by the page before init; all data arrives as JSON strings from the page.
let state = null;

export function init(element, dotNetRef, json) {
    dispose();
    const data = JSON.parse(json);
    // markercluster needs a maxZoom, which a map without tiles otherwise lacks.
    const map = L.map(element, { zoomSnap: 0.25, maxZoom: 19, attributionControl: false });
    if (data.tileUrl) {
        L.tileLayer(data.tileUrl, { maxZoom: 19 }).addTo(map);
    }
    const grids = data.featureCollection.features.filter(f => f.properties.kind === 'Grid');
    const communities = data.featureCollection.features.filter(f => f.properties.kind === 'Community');
    const layersById = new Map();

    const gridLayer = L.geoJSON({ type: 'FeatureCollection', features: grids }, {
        style: () => ({ color: '#ffffff', weight: 1, fillOpacity: 0.75 }),
        onEachFeature: (feature, layer) => {
            const p = feature.properties;
            layersById.set(feature.id, layer);
            layer.bindTooltip(`<strong>${escape(p.name)}</strong><br>未结 ${p.openCases} 件 · 超期 ${p.overdueCases} 件`, { sticky: true });
            layer.on('click', () => {
                highlight(feature.id);
                dotNetRef.invokeMethodAsync('SelectGrid', feature.id);
            });
        },
    }).addTo(map);

    // Outlines above the grids but not clickable, so a click always reaches the grid underneath.
    const communityLayer = L.geoJSON({ type: 'FeatureCollection', features: communities }, {
        interactive: false,
        style: () => ({ color: '#1f2d3d', weight: 2.5, dashArray: '6 4', fill: false }),
        onEachFeature: (feature, layer) => {
            layersById.set(feature.id, layer);
            layer.bindTooltip(escape(feature.properties.name), { permanent: true, direction: 'center', className: 'map-community-label', interactive: false });
        },
    }).addTo(map);

    const pins = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45, iconCreateFunction: clusterIcon });
    map.addLayer(pins);

    state = { map, data, gridLayer, communityLayer, pins, layersById, selected: null };
    fit(data.bounds);
    // Shapes exist once the map has a view; the id lets tests and tools find a grid's shape.
    gridLayer.eachLayer(layer => layer.getElement()?.setAttribute('data-area-id', layer.feature.id));
    setColouring(data.measure);
}

export function setColouring(measure) {
    if (!state) { return; }
    const classes = state.data.legends[measure];
    state.gridLayer.eachLayer(layer => {
        const p = layer.feature.properties;
        const value = measure === 'overdue' ? p.overdueCases : p.openCasesPerSquareKilometer;
        const match = value == null ? null : classes.find(c => value >= c.min && (c.max == null || value < c.max));
        layer.setStyle({ fillColor: match ? match.colour : '#d0d5db' });
    });
}

export function setPins(json) {
    if (!state) { return; }
    state.pins.clearLayers();
    const pins = json ? JSON.parse(json) : [];
    state.pins.addLayers(pins.map(p => {
        const kind = p.isOverdue ? 'overdue' : p.isDueSoon ? 'due-soon' : 'normal';
        const marker = L.marker([p.latitude, p.longitude], {
            icon: L.divIcon({ className: `case-pin case-pin-${kind}`, iconSize: [14, 14] }),
            title: p.number,
        });
        marker.options.kind = kind;
        marker.bindPopup(`<div class="case-pin-popup"><div class="fw-semibold">${escape(p.number)}</div><div>${escape(p.title)}</div>`
            + `<div class="text-muted small">${escape(p.stateName)}${p.isOverdue ? ' · <span class="deadline-overdue">已超期</span>' : ''}</div>`
            + `<a href="/cases/${p.id}">查看案件</a></div>`);
        return marker;
    }));
}

/** Highlights a grid (or nothing) and, when asked, brings an area into view. */
export function focus(id, zoom) {
    if (!state) { return; }
    highlight(id);
    const layer = id ? state.layersById.get(id) : null;
    if (zoom && layer) {
        state.map.fitBounds(layer.getBounds(), { paddingTopLeft: [60, 60], paddingBottomRight: [60, 90], maxZoom: 16 });
    } else if (zoom) {
        fit(state.data.bounds);
    }
}

export function dispose() {
    if (state) {
        state.map.remove();
        state = null;
    }
}

function highlight(id) {
    const previous = state.selected && state.layersById.get(state.selected);
    if (previous) { previous.setStyle({ color: '#ffffff', weight: 1 }); }
    state.selected = id;
    const layer = id && state.layersById.get(id);
    if (layer && layer.feature.properties.kind === 'Grid') {
        layer.setStyle({ color: '#0d6efd', weight: 3 });
        layer.bringToFront();
        state.communityLayer.bringToFront();
    }
}

function fit(bounds) {
    if (bounds) {
        // The bottom padding keeps the legend strip off the shapes.
        state.map.fitBounds([[bounds.south, bounds.west], [bounds.north, bounds.east]], { paddingTopLeft: [16, 16], paddingBottomRight: [16, 70] });
    } else {
        state.map.setView([39.9, 116.4], 12);
    }
}

// A cluster takes the colour of its most urgent case, so overdue work stays visible when zoomed out.
function clusterIcon(cluster) {
    const kinds = cluster.getAllChildMarkers().map(m => m.options.kind);
    const kind = kinds.includes('overdue') ? 'overdue' : kinds.includes('due-soon') ? 'due-soon' : 'normal';
    const count = cluster.getChildCount();
    return L.divIcon({ html: `<span>${count}</span>`, className: `case-cluster case-pin-${kind}`, iconSize: [34, 34] });
}

function escape(text) {
    return String(text ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
