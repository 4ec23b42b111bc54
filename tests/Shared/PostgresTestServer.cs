using Npgsql;

namespace ProxmoxLxc.TestDatabases;

/// <summary>
/// The PostgreSQL server the tests may create databases on, from <see cref="Variable"/> (set by
/// scripts/with-postgres.sh, which ./test.sh uses). Linked into every test project that runs on PostgreSQL.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "PROXMOXLXC_TEST_POSTGRES";

    /// <summary>The server's connection string. A missing variable fails the test (never skips it), so no run silently leaves PostgreSQL out.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL half of the provider matrix cannot run. " +
                "Run the tests through scripts/with-postgres.sh (./test.sh does), e.g. " +
                "scripts/with-postgres.sh dotnet test ProxmoxLxc.sln, or point the variable at a server " +
                "where the user may create databases (Host=...;Port=...;Username=...;Password=...).");

    /// <summary>
    /// Creates a uniquely named database — empty, or a copy of <paramref name="template"/> (a database nobody is
    /// connected to) — and returns its connection string.
    /// </summary>
    public static string CreateDatabase(out string name, string? template = null)
    {
        name = $"proxmoxlxc_test_{Guid.NewGuid():N}";
        Execute(template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        // Idle pooled connections of stopped test hosts close within seconds instead of holding server slots for minutes.
        return new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Database = name,
            ConnectionIdleLifetime = 10,
            ConnectionPruningInterval = 5,
        }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>, closing the connections still open on it.</summary>
    public static void DropDatabase(string name, string connectionString)
    {
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private static void Execute(string sql)
    {
        // Not pooled: administrative one-offs on the server's maintenance database.
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false };
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
