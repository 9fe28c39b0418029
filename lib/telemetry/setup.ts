import { metrics } from '@opentelemetry/api'
import { getConfig } from '@/lib/config'

/**
 * instrumentation.ts: with OTEL_EXPORTER_OTLP_ENDPOINT, a meter provider that sends the metrics of
 * lib/telemetry/metrics.ts there every 30 s (OTLP over HTTP; the exporter reads the standard
 * OTEL_EXPORTER_OTLP_* variables for headers and paths). Without it, nothing is set up.
 */
export async function setUpTelemetry(): Promise<boolean> {
  const { otlpEndpoint } = getConfig()
  if (!otlpEndpoint) return false
  const [{ MeterProvider, PeriodicExportingMetricReader }, { OTLPMetricExporter }] = await Promise.all([
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/exporter-metrics-otlp-http'),
  ])
  const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: 30_000 })
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))
  return true
}
