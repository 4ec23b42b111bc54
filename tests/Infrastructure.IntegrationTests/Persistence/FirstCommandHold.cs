using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// An interceptor that runs <see cref="HoldAsync"/> before the first database command of the contexts it is added to
/// (reader, non-query or scalar, with that command's cancellation) and lets every later command through; counts them.
/// </summary>
internal abstract class FirstCommandHold : DbCommandInterceptor
{
    private int _commands;

    /// <summary>Commands seen so far, the held one included.</summary>
    public int Commands => Volatile.Read(ref _commands);

    public void AddTo(IServiceCollection services) => services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(this));

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await HoldFirstAsync(cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await HoldFirstAsync(cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await HoldFirstAsync(cancellationToken);
        return result;
    }

    /// <summary>What happens before the first command goes on (or fails with).</summary>
    protected abstract Task HoldAsync(CancellationToken cancellationToken);

    private Task HoldFirstAsync(CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _commands) == 1 ? HoldAsync(cancellationToken) : Task.CompletedTask;
}
