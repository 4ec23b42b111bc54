using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// <c>proxmoxlxc.operations.open</c>: operations still running (a cached count, refreshed at most every 5 s); no
/// measurement while the database's start-up work runs.
/// </summary>
public sealed class OperationMetrics : IDisposable
{
    public const string MeterName = "ProxmoxLxc.Operations";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Meter _meter;
    private readonly IDbContextFactory<AppDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly IDatabaseStartup _database;
    private readonly Lock _gate = new();
    private long _openCount;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public OperationMetrics(IMeterFactory meterFactory, IDbContextFactory<AppDbContext> dbFactory, TimeProvider time, IDatabaseStartup database)
    {
        _dbFactory = dbFactory;
        _time = time;
        _database = database;
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("proxmoxlxc.operations.open", ReadOpenCount, unit: "{operation}",
            description: "Operations whose Proxmox task is still running.");
    }

    private IEnumerable<Measurement<long>> ReadOpenCount()
    {
        return _database.IsReady ? [new Measurement<long>(ReadCachedCount())] : [];
    }

    private long ReadCachedCount()
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
