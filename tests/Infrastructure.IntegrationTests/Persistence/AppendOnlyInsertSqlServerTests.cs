using System.Data;
using Microsoft.Data.SqlClient;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary><see cref="AppendOnlyInsert"/> for SQL Server, which cannot run here: its statements as built.</summary>
public class AppendOnlyInsertSqlServerTests
{
    /// <summary>SQL Server cannot run here: its statements are checked as built — quoting and EF Core's parameter types.</summary>
    [Test]
    public void Statements_SqlServer_UseItsQuotingAndTypes()
    {
        const string connectionString = "Server=localhost;Database=ProxmoxLxc;User Id=sa;Password=not-used;TrustServerCertificate=True";
        using var db = new AppDbContext(DbContextOptionsFactory.Create(DatabaseProvider.SqlServer, connectionString));
        using var connection = new SqlConnection(connectionString);
        var shape = AppendOnlyInsert.Shape.Of<OperationLog>(db);
        using var command = (SqlCommand)AppendOnlyInsert.Statements(connection.CreateCommand(), shape, AppendOnlyInsertTests.Rows("mssql")).First();
        SqlParameter Parameter(string column) => command.Parameters[shape.Columns.ToList().FindIndex(c => c.Name == column)];

        Assert.Multiple(() =>
        {
            Assert.That(command.CommandText, Does.StartWith("INSERT INTO [OperationLogs] ([Action], ").And.Contain(", [RequestId], "));
            Assert.That(command.CommandText, Does.Not.Contain("[Id]"));
            Assert.That(shape.RowsPerStatement, Is.EqualTo(AppendOnlyInsert.MaxParametersPerStatement / shape.Columns.Count));
            Assert.That(Parameter("KeyId").SqlDbType, Is.EqualTo(SqlDbType.VarChar), "IsUnicode(false) columns");
            Assert.That(Parameter("RequestId").SqlDbType, Is.EqualTo(SqlDbType.NVarChar));
            Assert.That(Parameter("RequestedAt").SqlDbType, Is.EqualTo(SqlDbType.DateTime2));
            Assert.That(Parameter("RequestedAt").Value, Is.EqualTo(AppendOnlyInsertTests.Start.UtcDateTime).And.Property("Kind").EqualTo(DateTimeKind.Utc));
            Assert.That(Parameter("Outcome").Value, Is.EqualTo("Succeeded"), "enum stored by name");
        });
    }
}
