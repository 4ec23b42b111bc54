using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Meter <c>ProxmoxLxc.Proxmox</c>: call count, duration and failures by gateway operation.</summary>
public sealed class ProxmoxMetrics
{
    public const string MeterName = "ProxmoxLxc.Proxmox";

    private readonly Counter<long> _calls;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;

    public ProxmoxMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>("proxmox.calls", description: "Proxmox API calls made by the gateway");
        _failures = meter.CreateCounter<long>("proxmox.call.failures", description: "Proxmox API calls that failed");
        _duration = meter.CreateHistogram<double>("proxmox.call.duration", unit: "s", description: "Duration of Proxmox API calls including retries");
    }

    public void Record(string operation, string method, TimeSpan elapsed, string? errorCode)
    {
        var tags = new TagList { { "operation", operation }, { "method", method }, { "outcome", errorCode is null ? "success" : "failure" } };
        _calls.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
        if (errorCode is not null)
            _failures.Add(1, new TagList { { "operation", operation }, { "method", method }, { "code", errorCode } });
    }
}
