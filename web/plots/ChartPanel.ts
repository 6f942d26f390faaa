/** One live plot on the page: a titled uPlot chart whose series are the behaviors. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { element } from '../pages/element.js';
import type { PlotData } from './PlotCatalog.js';

const COLORS = ['#6cb6ff', '#f0883e', '#5fd18b', '#d2a8ff', '#ef6b6b', '#e8b84a'];
const HEIGHT = 220;

/** A chart that is rebuilt when its behaviors change and updated in place otherwise. */
export class ChartPanel {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private chart: uPlot | null = null;
  private behaviors = '';

  constructor(
    parent: HTMLElement,
    readonly key: string,
    readonly title: string,
  ) {
    this.body = element('div');
    this.root = element('section', { className: 'chart', dataset: { plot: key } }, [element('h2', {}, [title]), this.body]);
    parent.append(this.root);
  }

  /** Draws the data (rebuilding the chart when the set of behaviors changed). */
  update(data: PlotData): void {
    const aligned: uPlot.AlignedData = [data.steps, ...data.values];
    const names = data.behaviors.join('\n');
    if (this.chart && names === this.behaviors) {
      this.chart.setData(aligned);
      return;
    }
    this.chart?.destroy();
    this.behaviors = names;
    this.chart = new uPlot(
      {
        width: this.width(),
        height: HEIGHT,
        scales: { x: { time: false } },
        axes: [
          { stroke: '#9aa4ae', grid: { stroke: '#333a42' }, ticks: { stroke: '#333a42' }, label: 'step' },
          { stroke: '#9aa4ae', grid: { stroke: '#333a42' }, ticks: { stroke: '#333a42' }, size: 60 },
        ],
        series: [
          { label: 'step' },
          ...data.behaviors.map((b, i) => ({ label: b, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true, points: { show: data.steps.length < 40 } })),
        ],
      },
      aligned,
      this.body,
    );
  }

  /** Follows the width of the page's grid cell. */
  resize(): void {
    this.chart?.setSize({ width: this.width(), height: HEIGHT });
  }

  private width(): number {
    return Math.max(300, this.root.clientWidth - 16);
  }
}
