"use client";

import { useEffect, useRef } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

// uPlot itself is loaded when a chart is first drawn, not with the page: the incident page ships
// its charts only to those who open them (issue 18's 150 KB budget).
// Signal charts on uPlot: ~50 kB, canvas, no eval (fine under a strict CSP with nonces; it sets
// inline styles only). Time axis in the viewer's zone, the unit on the value axis, threshold
// lines, the firing window shaded, and the values under the cursor in the legend (with UTC).

export type ChartPoint = { at: string; value: number };
export type ChartSeries = { label: string; points: ChartPoint[] };
export type ChartWindow = { from: string; to: string | null; label: string };
export type ChartMark = { at: string; label: string };

type Props = {
  title: string;
  unit: string;
  series: ChartSeries[];
  from: number;
  to: number;
  thresholds?: { value: number; label: string }[];
  windows?: ChartWindow[];
  marks?: ChartMark[];
  height?: number;
};

const PALETTE = ["--color-accent", "--color-sev2", "--color-ok", "--color-sev3", "--color-muted"];

function cssVar(name: string, fallback: string): string {
  if (typeof window === "undefined") return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function formatValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  const n = Math.abs(v) >= 100 || Number.isInteger(v) ? Math.round(v).toLocaleString() : v.toFixed(Math.abs(v) < 1 ? 3 : 1);
  if (unit === "ratio") return `${(v * 100).toFixed(1)} %`;
  return unit ? `${n} ${unit}` : n;
}

const utcText = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 19) + " UTC";

/** Aligns several series on one time axis (scrapes share timestamps; gaps stay gaps). */
function align(series: ChartSeries[]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => Math.floor(new Date(p.at).getTime()) / 1000)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const column: (number | null)[] = new Array(xs.length).fill(null);
    for (const p of s.points) column[index.get(Math.floor(new Date(p.at).getTime()) / 1000)!] = p.value;
    return column;
  });
  return [xs, ...ys] as uPlot.AlignedData;
}

export function SignalChart({ title, unit, series, from, to, thresholds = [], windows = [], marks = [], height = 180 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  const latest = series[0]?.points.at(-1)?.value;
  const summary = values.length
    ? `${title}: ${values.length} samples, latest ${formatValue(latest, unit)}, highest ${formatValue(Math.max(...values), unit)}${thresholds.length ? `, threshold ${formatValue(thresholds[0].value, unit)}` : ""}`
    : `${title}: no samples in this window`;
  const key = JSON.stringify([series, from, to, thresholds, windows, marks]);

  useEffect(() => {
    const el = box.current;
    if (!el || !values.length) return;
    const line = cssVar("--color-line", "#ccc");
    const muted = cssVar("--color-muted", "#666");
    const danger = cssVar("--color-sev1", "#b91c1c");
    const axis = { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      scales: { x: { time: true, min: from / 1000, max: to / 1000 }, y: { range: (_u, min, max) => [Math.min(0, min, ...thresholds.map((t) => t.value)), Math.max(max, ...thresholds.map((t) => t.value * 1.1), 1e-9)] } },
      axes: [
        { ...axis },
        { ...axis, size: 70, values: (_u, ticks) => ticks.map((t) => formatValue(t, unit)) },
      ],
      series: [
        { label: "Time", value: (_u, v) => (v === null ? "—" : `${new Date(v * 1000).toLocaleTimeString()} (${utcText(v)})`) },
        ...series.map((s, i) => ({ label: s.label, stroke: cssVar(PALETTE[i % PALETTE.length], "#1d4ed8"), width: 2, spanGaps: false, value: (_u: uPlot, v: number | null) => formatValue(v, unit) })),
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      hooks: {
        drawClear: [
          (u) => {
            // The firing windows, shaded behind the lines.
            const ctx = u.ctx;
            ctx.save();
            ctx.fillStyle = danger;
            ctx.globalAlpha = 0.12;
            for (const w of windows) {
              const x0 = u.valToPos(new Date(w.from).getTime() / 1000, "x", true);
              const x1 = u.valToPos((w.to ? new Date(w.to).getTime() : to) / 1000, "x", true);
              const left = Math.max(u.bbox.left, x0);
              const right = Math.min(u.bbox.left + u.bbox.width, x1);
              if (right > left) ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
            }
            ctx.restore();
          },
        ],
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.font = `${11 * devicePixelRatio}px sans-serif`;
            for (const t of thresholds) {
              const y = u.valToPos(t.value, "y", true);
              ctx.strokeStyle = danger;
              ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
              ctx.fillStyle = danger;
              // At the right end, above the line: clear of the value axis and of the newest points' label.
              ctx.textAlign = "right";
              ctx.fillText(`${t.label} ${formatValue(t.value, unit)}`, u.bbox.left + u.bbox.width - 4 * devicePixelRatio, y - 4 * devicePixelRatio);
              ctx.textAlign = "left";
            }
            ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.strokeStyle = muted;
            ctx.fillStyle = muted;
            for (const m of marks) {
              const x = u.valToPos(new Date(m.at).getTime() / 1000, "x", true);
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.fillText(m.label, x + 3 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
            }
            ctx.restore();
          },
        ],
      },
    };
    let plot: uPlot | null = null;
    let resize: ResizeObserver | null = null;
    let gone = false;
    void import("uplot").then(({ default: UPlot }) => {
      if (gone) return;
      const drawn = new UPlot(opts, align(series), el);
      plot = drawn;
      resize = new ResizeObserver(() => drawn.setSize({ width: Math.max(240, el.clientWidth), height }));
      resize.observe(el);
    });
    return () => {
      gone = true;
      resize?.disconnect();
      plot?.destroy();
    };
    // The serialised props are the dependency: a new array with the same points redraws nothing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, height]);

  return (
    <figure className="min-w-0" data-testid="signal-chart">
      <figcaption className="flex flex-wrap justify-between gap-2 text-sm">
        <span className="font-medium">{title}</span>
        <span className="font-mono text-xs">{values.length ? `latest ${formatValue(latest, unit)}` : "no data"}</span>
      </figcaption>
      {values.length ? <div ref={box} role="img" aria-label={summary} className="w-full text-xs" style={{ minHeight: height }} /> : <p className="text-sm text-muted">No samples in this window yet.</p>}
    </figure>
  );
}
