namespace EtlActors.Engine.Telemetry;

/// <summary>The engine's <see cref="System.Diagnostics.Metrics.Meter"/>: every instrument of ours is under this name, which the node's exporter listens to.</summary>
public static class EtlMeter
{
    public const string Name = EtlActors.Pipeline.Telemetry.PipelineMetrics.MeterName;
}
