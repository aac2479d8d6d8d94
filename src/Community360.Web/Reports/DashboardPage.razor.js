// The dashboard's ECharts: one instance per chart box, resized with the window, gone with the page.
const charts = new Set();
let listening = false;

function onResize() {
    resize();
}

function prune() {
    for (const chart of charts) {
        if (!chart.getDom().isConnected) {
            chart.dispose();
            charts.delete(chart);
        }
    }
}

/** Draws (or redraws) a chart into the element; a data item with an href opens that case list on click. */
export function render(element, option) {
    prune();
    const echarts = window.echarts;
    let chart = echarts.getInstanceByDom(element);
    if (!chart) {
        chart = echarts.init(element, null, { renderer: 'canvas' });
        chart.on('click', (params) => {
            const href = params.data && params.data.href;
            if (href) {
                window.Blazor.navigateTo(href);
            }
        });
        charts.add(chart);
    }
    chart.setOption(option, { notMerge: true });
    if (!listening) {
        window.addEventListener('resize', onResize);
        listening = true;
    }
}

export function resize() {
    prune();
    for (const chart of charts) {
        chart.resize();
    }
}

/** The command centre's wall screen: the page without the browser's chrome. */
export function toggleFullscreen() {
    if (document.fullscreenElement) {
        return document.exitFullscreen();
    }
    return document.documentElement.requestFullscreen();
}

export function dispose() {
    for (const chart of charts) {
        chart.dispose();
    }
    charts.clear();
    window.removeEventListener('resize', onResize);
    listening = false;
}
