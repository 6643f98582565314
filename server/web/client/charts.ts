import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

/**
 * The dashboard's two charts, drawn by Chart.js (bundled: nothing is fetched from elsewhere). Only the parts used are
 * registered, to keep the script small. The tables above them carry the same figures for anyone who cannot see them.
 */

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

const COLORS = ['#1d70b8', '#00703c', '#f47738', '#912b88'];

export function barChart(canvas: HTMLCanvasElement, labels: string[], label: string, values: number[]): void {
  new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label, data: values, backgroundColor: COLORS[0] }] },
    options: { indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false, scales: { x: { min: 0, max: 100 } } },
  });
}

export function lineChart(canvas: HTMLCanvasElement, labels: string[], series: { label: string; values: number[] }[]): void {
  new Chart(canvas, {
    type: 'line',
    data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.values, borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length] })) },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
  });
}
