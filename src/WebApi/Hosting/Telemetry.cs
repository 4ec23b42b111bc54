using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using ProxmoxLxc.Infrastructure.Operations;
using ProxmoxLxc.Infrastructure.Proxmox;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// <c>GET /metrics</c> in Prometheus text format: HTTP request counts and latency by route and status
/// (ASP.NET Core meters), Proxmox call counts/latency/failures (<c>ProxmoxLxc.Proxmox</c>), open operations
/// (<c>ProxmoxLxc.Operations</c>), rate limiting and runtime figures.
/// </summary>
internal static class Telemetry
{
    public static IServiceCollection AddApiTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting",
                "System.Runtime", ProxmoxMetrics.MeterName, OperationMetrics.MeterName)
            .AddView(CardinalityLimit)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>
    /// The SDK preallocates every stream's points up to its cardinality limit (2,000 by default: a 144 KB array on the
    /// large-object heap per stream, 5.5 MB for the 38 streams here). The streams the contract asks for by route,
    /// status and Proxmox operation keep the default; the runtime, Kestrel and rate-limiting streams carry a handful of
    /// attribute combinations (a GC generation, a TLS protocol, a policy name) and get <see cref="SmallStreamLimit"/>.
    /// Combinations past a limit are counted under the SDK's overflow attribute, not dropped.
    /// </summary>
    internal static MetricStreamConfiguration? CardinalityLimit(Instrument instrument) =>
        instrument.Meter.Name is ProxmoxMetrics.MeterName or OperationMetrics.MeterName || instrument.Name == "http.server.request.duration"
            ? null
            : new MetricStreamConfiguration { CardinalityLimit = SmallStreamLimit };

    internal const int SmallStreamLimit = 200;
}
