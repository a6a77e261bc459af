// What the charts show, as plain data: each chart's series by chart id, each
// point a rate (or an RTT) at a performance.now() time. The test hook hands
// it out, so it stays free of the DOM.
import type { Point } from "./sampler";

export type ChartData = Record<string, { label: string; points: Point[] }[]>;
