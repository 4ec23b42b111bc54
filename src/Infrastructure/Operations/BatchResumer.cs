using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Containers.Commands.RunBatchAction;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// At start-up and then on every scan of <see cref="OperationTrackingOptions.ScanInterval"/>: continues the batch
/// operations no live instance runs — left by an earlier process of this instance or by an instance that died (their
/// row lease ran out; the claim is one conditional update, so exactly one instance continues each).
/// </summary>
internal sealed partial class BatchResumer(
    BatchRunner runner,
    IOptions<OperationTrackingOptions> options,
    TimeProvider time,
    ILogger<BatchResumer> logger,
    IDatabaseStartup database) : DatabaseBackgroundService(database)
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ScanInterval, time);
        do
        {
            try
            {
                await runner.ResumeAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested
                && (ex is AppException or InvalidOperationException or System.Data.Common.DbException || Persistence.DatabaseFailures.IsUnavailable(ex)))
            {
                LogResumeFailed(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not continue the batches left running; the next scan tries again.")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception);
}
