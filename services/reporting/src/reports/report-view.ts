import { Table } from '@valley/platform';
import { ChartSpec, LinesChartSpec } from './render/svg-chart';

/** One report, ready for each format: its JSON, its table (CSV) and its chart (SVG). */
export interface ReportView<J extends object> {
  /** File name without extension, for downloads. */
  name: string;
  json: J;
  table: Table;
  chart: ChartSpec | LinesChartSpec;
}
