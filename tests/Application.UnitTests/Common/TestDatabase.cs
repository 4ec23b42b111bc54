using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Application.UnitTests.Common;

/// <summary>A real SQLite database in memory, alive as long as this object (never EF InMemory).</summary>
internal sealed class TestDatabase : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public TestDatabase()
    {
        _connection.Open();
        using var db = NewContext();
        db.Database.EnsureCreated();
    }

    public AppDbContext NewContext() => new(new DbContextOptionsBuilder<AppDbContext>().UseSqlite(_connection).Options);

    public void Dispose() => _connection.Dispose();
}
