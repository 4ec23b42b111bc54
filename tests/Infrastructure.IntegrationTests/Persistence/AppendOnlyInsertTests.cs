using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Leasing;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The operation log's batch insert without change tracking (<see cref="AppendOnlyInsert"/>) stores exactly what
/// <c>SaveChanges</c> stores, on every provider, over several statements and all or nothing.
/// </summary>
public class AppendOnlyInsertTests(DatabaseProvider provider) : ProviderMatrixFixture(provider)
{
    internal static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 15, 30, TimeSpan.FromHours(2));

    /// <summary>More rows than one statement holds on a server database (25 columns: 80 rows per statement).</summary>
    private const int Count = 160;

    [Test]
    public async Task InsertAsync_RowsOfEveryShape_ReadBackAsSaveChangesWroteThem()
    {
        await using var host = await StartHostAsync();
        await using (var db = host.NewContext())
        {
            db.OperationLogs.AddRange(Rows("ef"));
            await db.SaveChangesAsync();
        }

        await using (var db = host.NewContext())
        {
            await AppendOnlyInsert.InsertAsync(db, Rows("raw"), CancellationToken.None);
        }

        await using var read = host.NewContext();
        var viaSaveChanges = await ReadAsync(read, "ef");
        var viaInsert = await ReadAsync(read, "raw");
        Assert.Multiple(() =>
        {
            Assert.That(viaInsert, Has.Count.EqualTo(Count));
            Assert.That(viaInsert, Is.EqualTo(viaSaveChanges));
            Assert.That(viaInsert[1], Does.Contain("Zürich – 東京 ✓"), "unicode kept");
        });
    }

    [Test]
    public async Task InsertAsync_LaterStatementFails_WritesNothing()
    {
        await using var host = await StartHostAsync();
        var rows = Rows("atomic");
        // Row 151 (still running) is in a later statement and takes row 1's task id: the unique index refuses it.
        rows[151].AttachTask(rows[1].TaskId!, "pve1");

        await using (var db = host.NewContext())
        {
            Assert.That(async () => await AppendOnlyInsert.InsertAsync(db, rows, CancellationToken.None), Throws.InstanceOf<DbException>());
        }

        await using var read = host.NewContext();
        Assert.That(await read.OperationLogs.CountAsync(o => o.RequestId.StartsWith("atomic-")), Is.Zero, "the first statements were rolled back");
    }

    [Test]
    public async Task Statements_SplitPerProvider_OneCommandLeavesOutTheIdentity()
    {
        await using var host = await StartHostAsync();
        await using var db = host.NewContext();
        var shape = AppendOnlyInsert.Shape.Of<OperationLog>(db);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandTimeout = 7;
        var statements = AppendOnlyInsert.Statements(command, shape, Rows("split"))
            .Select(c => (Command: c, Text: c.CommandText, Parameters: c.Parameters.Count, c.CommandTimeout))
            .ToList();
        var perStatement = Provider == DatabaseProvider.Sqlite ? 1 : AppendOnlyInsert.MaxParametersPerStatement / shape.Columns.Count;
        var full = statements.Where(s => s.Parameters == perStatement * shape.Columns.Count).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(shape.RowsPerStatement, Is.EqualTo(perStatement), "SQLite: a row per statement; a server: as many as the parameter limit allows");
            Assert.That(shape.Columns.Select(c => c.Name), Does.Not.Contain("Id").And.Contains(RowLeases.OwnerColumn).And.Contains("RequestId"));
            Assert.That(statements, Has.Count.EqualTo((int)Math.Ceiling(Count / (double)perStatement)));
            Assert.That(statements.Sum(s => s.Parameters), Is.EqualTo(Count * shape.Columns.Count));
            Assert.That(statements.Select(s => s.Parameters), Is.All.LessThanOrEqualTo(AppendOnlyInsert.MaxParametersPerStatement));
            Assert.That(statements.Select(s => s.Command), Is.All.SameAs(command), "one command refilled per statement");
            Assert.That(statements.Select(s => s.CommandTimeout), Is.All.EqualTo(7));
            Assert.That(full, Has.Count.EqualTo(Count / perStatement));
            Assert.That(full.Select(s => s.Text), Is.All.SameAs(shape.FullText), "full statements keep one text: SQLite prepares it once");
        });
    }

    [Test]
    public async Task Shape_OfTheSameModel_IsBuiltOnce()
    {
        await using var host = await StartHostAsync();
        await using var first = host.NewContext();
        await using var second = host.NewContext();
        Assert.Multiple(() =>
        {
            Assert.That(AppendOnlyInsert.Shape.Of<OperationLog>(second), Is.SameAs(AppendOnlyInsert.Shape.Of<OperationLog>(first)));
            Assert.That(AppendOnlyInsert.Shape.Of<OperationLog>(first).ParameterNames,
                Has.Count.EqualTo(AppendOnlyInsert.Shape.Of<OperationLog>(first).RowsPerStatement * AppendOnlyInsert.Shape.Of<OperationLog>(first).Columns.Count));
        });
    }

    /// <summary>Rows that cover every column: set and unset, every outcome, unicode, offsets other than UTC.</summary>
    internal static List<OperationLog> Rows(string prefix)
    {
        var rows = new List<OperationLog>(Count);
        for (var i = 0; i < Count; i++)
        {
            var at = Start.AddSeconds(i).AddTicks(i * 10);
            var row = OperationLog.Begin($"{prefix}-{i:D4}", i % 2 == 0 ? "GET" : "POST", $"/api/v1/containers/{100 + i}",
                i % 3 == 0 ? null : "10.0.0." + (i % 250).ToString(CultureInfo.InvariantCulture), at);
            row.SetCaller(i % 4 == 0 ? null : "key" + (i % 7).ToString(CultureInfo.InvariantCulture), i % 4 == 0 ? null : "Zürich – 東京 ✓");
            row.Describe(i % 2 == 0 ? "ContainerStatus" : "ContainerStart", i % 2 == 1,
                i % 5 == 0 ? null : $$"""{"vmid":{{100 + i}},"note":"a, b = c"}""", i % 6 == 0 ? null : 100 + i, i % 6 == 0 ? null : "pve" + (i % 3));
            if (i % 2 == 1)
            {
                row.MarkStarted(at.AddMilliseconds(5));
                row.AttachTask($"UPID:pve1:{prefix}:{i:D4}:vzstart:", "pve1");
                row.RecordChanges("""[{"field":"cores","from":1,"to":2}]""");
            }

            switch (i % 4)
            {
                case 0:
                    row.Succeed(at.AddSeconds(2), exitStatus: "OK", warnings: i % 8 == 0 ? "line 1\nline 2" : null);
                    row.SetHttpStatus(200);
                    break;
                case 1:
                    row.Fail(at.AddSeconds(3), "proxmox_error", "Proxmox said: 'no'", exitStatus: "command failed");
                    row.SetHttpStatus(202);
                    break;
                case 2:
                    row.Reject(at.AddMilliseconds(1), "validation_failed", "hostname: must be a DNS label");
                    row.SetHttpStatus(400);
                    break;
                default:
                    break; // still running, no status yet
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Every stored column of the rows with <paramref name="prefix"/> but the id and the prefix, in row order.</summary>
    private static async Task<List<string>> ReadAsync(AppDbContext db, string prefix)
    {
        var rows = await db.OperationLogs.AsNoTracking()
            .Where(o => o.RequestId.StartsWith(prefix + "-"))
            .Select(o => new
            {
                Row = o,
                LeaseOwner = EF.Property<string?>(o, RowLeases.OwnerColumn),
                LeaseUntil = EF.Property<DateTimeOffset?>(o, RowLeases.UntilColumn),
            })
            .ToListAsync();
        return rows.OrderBy(r => r.Row.RequestId, StringComparer.Ordinal).Select(r =>
        {
            var o = r.Row;
            return string.Join('|', o.RequestId[(prefix.Length + 1)..], o.KeyId, o.KeyName, o.Action, o.IsMutating, o.Method, o.Path, o.VmId,
                o.Node, o.Parameters, o.Outcome, o.HttpStatus, o.ErrorCode, o.Error, o.TaskId?.Replace(prefix, "*", StringComparison.Ordinal),
                o.ExitStatus, o.Warnings, o.Changes, o.ClientAddress, Iso(o.RequestedAt), Iso(o.StartedAt), Iso(o.CompletedAt), o.DurationMs,
                r.LeaseOwner, Iso(r.LeaseUntil));
        }).ToList();
    }

    private static string Iso(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "-";
}
