declare module 'parse-prometheus-text-format' {
  /** Metric families of a Prometheus text exposition (the package ships no types). */
  export default function parsePrometheusTextFormat(text: string): Array<{
    name: string;
    help: string;
    type: string;
    metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }>;
  }>;
}
