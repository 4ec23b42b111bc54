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

    public static string MigrationsAssemblyFor(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "ProxmoxLxc.Migrations.Sqlite",
        DatabaseProvider.SqlServer => "ProxmoxLxc.Migrations.SqlServer",
        DatabaseProvider.PostgreSql => "ProxmoxLxc.Migrations.PostgreSql",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };
}
