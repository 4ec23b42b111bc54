using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace ProxmoxLxc.Infrastructure.Persistence;

/// <summary>
/// The one place that recognises "the database cannot be used right now" among provider exceptions: SQLite busy or
/// locked (another writer holds the file), unopenable or out of reach; SQL Server (or any ADO.NET provider) connection
/// failures, timeouts and transient errors, also after EF's retrying strategy gave up.
/// </summary>
internal static class DatabaseFailures
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteCantOpen = 14;

    /// <summary>SQL Server numbers for a server that is down, refusing, unreachable or timing out.</summary>
    private static readonly HashSet<int> SqlServerUnavailable =
        [-2, -1, 2, 53, 121, 233, 1205, 4060, 10053, 10054, 10060, 10061, 11001, 40143, 40197, 40501, 40613, 49918, 49919, 49920];

    public static bool IsUnavailable(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case SqliteException sqlite when (sqlite.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked or SqliteIoError or SqliteCantOpen:
                case DbException when ex.GetType().FullName == "Microsoft.Data.SqlClient.SqlException" && IsSqlServerUnavailable(ex):
                case DbException { IsTransient: true }:
                case RetryLimitExceededException:
                case TimeoutException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Apart, so that SqlClient is loaded only when SQL Server is in use (its exception is then already loaded).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool IsSqlServerUnavailable(Exception ex) =>
        ex is SqlException sql && (SqlServerUnavailable.Contains(sql.Number) || sql.Class >= 20);
}
