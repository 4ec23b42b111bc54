using OpenTelemetry.Metrics;

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
                "System.Runtime", "ProxmoxLxc.Proxmox", "ProxmoxLxc.Operations")
            .AddPrometheusExporter());
        return services;
    }
}
