using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Containers.Commands.RunBatchAction;

namespace ProxmoxLxc.Infrastructure.Operations;

/// <summary>
/// Once at start-up (after the database initializer): continues the batch operations an earlier process left running.
/// Without a lease on the batch row (the operation-row leases are not on main yet), several instances on one database
/// starting together would each continue them: run one instance per database until then.
/// </summary>
internal sealed partial class BatchResumer(BatchRunner runner, ILogger<BatchResumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not continue the batches left running; they stay running until the next start.")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception);
}
