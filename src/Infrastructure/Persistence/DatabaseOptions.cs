namespace ProxmoxLxc.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

/// <summary>Section <c>Database</c> plus <c>ConnectionStrings:Default</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the service starts (default true).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// How long a call's operation-row write may wait for the database (SQLite busy timeout, SQL Server connect and
    /// command timeout, and the bound on the whole write) before the call answers 503 <c>database_unavailable</c>.
    /// </summary>
    public int RowWriteTimeoutSeconds { get; set; } = 3;

    public static string MigrationsAssemblyFor(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "ProxmoxLxc.Migrations.Sqlite",
        DatabaseProvider.SqlServer => "ProxmoxLxc.Migrations.SqlServer",
        DatabaseProvider.PostgreSql => "ProxmoxLxc.Migrations.PostgreSql",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };
}
