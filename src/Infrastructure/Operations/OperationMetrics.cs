using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary><c>proxmoxlxc.operations.open</c>: operations still running (a cached count, refreshed at most every 5 s).</summary>
public sealed class OperationMetrics : IDisposable
{
    public const string MeterName = "ProxmoxLxc.Operations";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Meter _meter;
    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _openCount;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public OperationMetrics(IMeterFactory meterFactory, IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
    {
        _dbFactory = dbFactory;
        _time = time;
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("proxmoxlxc.operations.open", ReadOpenCount, unit: "{operation}",
            description: "Operations whose Proxmox task is still running.");
    }

    private long ReadOpenCount()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now - _readAt >= CacheFor)
            {
                using var db = _dbFactory.CreateDbContext();
                _openCount = db.OperationLogs.LongCount(o => o.Outcome == OperationOutcome.Running && o.TaskId != null);
                _readAt = now;
            }

            return _openCount;
        }
    }

    public void Dispose() => _meter.Dispose();
}
