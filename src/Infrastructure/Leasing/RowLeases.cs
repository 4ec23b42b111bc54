using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace ProxmoxLxc.Infrastructure.Leasing;

/// <summary>
/// Leases on database rows, shared by every instance on the database: who works on a row (the owner) and until when.
/// Two shadow columns on the leased entity (<see cref="Configure{T}"/>; its key must be a property <c>Id</c>: numbers for
/// operation rows, strings for webhooks). A row is claimed by one conditional
/// <c>UPDATE … WHERE Id = @id AND (LeaseUntil IS NULL OR LeaseUntil &lt; @now)</c> — one row affected means it is ours — renewed while the work goes on, released when it stops; an instance that dies leaves
/// its leases to run out. Writes of the holder are conditional on the owner column (a concurrency token), so an instance
/// that lost its lease cannot overwrite the new holder's work. Provider-neutral (SQLite, SQL Server, PostgreSQL).
/// </summary>
public sealed class RowLeases(InstanceIdentity instance, IOptions<LeaseOptions> options, TimeProvider time)
{
    public const string OwnerColumn = "LeaseOwner";
    public const string UntilColumn = "LeaseUntil";

    private const string IdProperty = "Id";

    /// <summary>Renewals update at most this many rows per statement (parameter limits).</summary>
    private const int Chunk = 500;

    /// <summary>This instance, as written in the owner column.</summary>
    public string Owner => instance.Id;

    /// <summary>
    /// Runs <paramref name="renew"/> every <see cref="LeaseOptions.RenewInterval"/> until <paramref name="stoppingToken"/>
    /// fires. A renewal the database refused (unreachable, failed statement) is handed to <paramref name="failed"/> and
    /// retried at the next interval — a lease not renewed for its whole length may then be taken over.
    /// </summary>
    public async Task RenewEveryIntervalAsync(
        Func<CancellationToken, Task> renew, Action<Exception> failed, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(renew);
        ArgumentNullException.ThrowIfNull(failed);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.RenewInterval, time, stoppingToken);
                await renew(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException ||
                                       Persistence.DatabaseFailures.IsUnavailable(ex))
            {
                failed(ex);
            }
        }
    }

    /// <summary>Adds the lease columns to a leased entity (the owner column is a concurrency token).</summary>
    public static void Configure<T>(EntityTypeBuilder<T> builder)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Property<string?>(OwnerColumn).HasMaxLength(InstanceIdentity.MaxLength).IsUnicode(false).IsConcurrencyToken();
        builder.Property<DateTimeOffset?>(UntilColumn);
    }

    /// <summary>The rows among <paramref name="rows"/> nobody holds now: never claimed, released, or run out.</summary>
    public IQueryable<T> Free<T>(IQueryable<T> rows)
        where T : class
    {
        var now = time.GetUtcNow();
        return rows.Where(r => EF.Property<DateTimeOffset?>(r, UntilColumn) == null || EF.Property<DateTimeOffset?>(r, UntilColumn) < now);
    }

    /// <summary>The rows among <paramref name="rows"/> this instance holds (whether or not their lease has run out yet).</summary>
    public IQueryable<T> Held<T>(IQueryable<T> rows)
        where T : class
    {
        var owner = Owner;
        return rows.Where(r => EF.Property<string?>(r, OwnerColumn) == owner);
    }

    /// <summary>
    /// Claims row <paramref name="id"/> among <paramref name="rows"/> (which carry the other conditions, e.g. "still
    /// running") when its lease is free: true when this instance now holds it.
    /// </summary>
    public async Task<bool> TryClaimAsync<T, TKey>(IQueryable<T> rows, TKey id, CancellationToken cancellationToken)
        where T : class
    {
        var owner = Owner;
        var until = time.GetUtcNow() + options.Value.Duration;
        var claimed = await Free(rows.Where(HasId<T, TKey>(id)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => EF.Property<string?>(r, OwnerColumn), owner)
                .SetProperty(r => EF.Property<DateTimeOffset?>(r, UntilColumn), until), cancellationToken);
        return claimed == 1;
    }

    /// <summary>Extends the leases this instance still holds among <paramref name="ids"/>; returns those (the others were lost).</summary>
    public async Task<IReadOnlySet<TKey>> RenewAsync<T, TKey>(IQueryable<T> rows, IReadOnlyCollection<TKey> ids, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(ids);
        var owner = Owner;
        var until = time.GetUtcNow() + options.Value.Duration;
        var held = new HashSet<TKey>();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var mine = rows.Where(r => chunk.Contains(EF.Property<TKey>(r, IdProperty)) && EF.Property<string?>(r, OwnerColumn) == owner);
            await mine.ExecuteUpdateAsync(s => s.SetProperty(r => EF.Property<DateTimeOffset?>(r, UntilColumn), until), cancellationToken);
            held.UnionWith(await mine.Select(r => EF.Property<TKey>(r, IdProperty)).ToListAsync(cancellationToken));
        }

        return held;
    }

    /// <summary>Gives up the lease on row <paramref name="id"/> (if this instance holds it) so another may claim it at once.</summary>
    public Task ReleaseAsync<T, TKey>(IQueryable<T> rows, TKey id)
        where T : class
    {
        var owner = Owner;
        return rows.Where(HasId<T, TKey>(id)).Where(r => EF.Property<string?>(r, OwnerColumn) == owner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => EF.Property<string?>(r, OwnerColumn), (string?)null)
                .SetProperty(r => EF.Property<DateTimeOffset?>(r, UntilColumn), (DateTimeOffset?)null), CancellationToken.None);
    }

    /// <summary>A row about to be inserted starts leased by this instance.</summary>
    public void Stamp(EntityEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.Property(OwnerColumn).CurrentValue = Owner;
        entry.Property(UntilColumn).CurrentValue = time.GetUtcNow() + options.Value.Duration;
    }

    /// <summary>
    /// An update of a row attached without loading it (all columns written): leaves the lease columns as they are and
    /// makes the update conditional on this instance holding the lease (else <see cref="DbUpdateConcurrencyException"/>).
    /// </summary>
    public void RequireHeld(EntityEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var owner = entry.Property(OwnerColumn);
        owner.CurrentValue = Owner;
        owner.OriginalValue = Owner;
        owner.IsModified = false;
        entry.Property(UntilColumn).IsModified = false;
    }

    /// <summary>True when the loaded (tracked) row is leased by this instance; saving it then stays conditional on that.</summary>
    public bool IsHeld(EntityEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return string.Equals((string?)entry.Property(OwnerColumn).CurrentValue, Owner, StringComparison.Ordinal);
    }

    /// <summary>
    /// Makes the next save of the loaded (tracked) row <paramref name="entry"/> write its owner column unchanged, so that
    /// save — and everything saved with it, in its transaction — is refused (<see cref="DbUpdateConcurrencyException"/>)
    /// when another instance holds the row by then, even when the row itself has no other change.
    /// </summary>
    public static void KeepHeld(EntityEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.Property(OwnerColumn).IsModified = true;
    }

    /// <summary><c>r =&gt; EF.Property&lt;TKey&gt;(r, "Id") == id</c> with <paramref name="id"/> as a query parameter.</summary>
    private static Expression<Func<T, bool>> HasId<T, TKey>(TKey id)
    {
        var row = Expression.Parameter(typeof(T), "r");
        var key = Expression.Call(typeof(EF), nameof(EF.Property), [typeof(TKey)], row, Expression.Constant(IdProperty));
        Expression<Func<TKey>> parameter = () => id;
        return Expression.Lambda<Func<T, bool>>(Expression.Equal(key, parameter.Body), row);
    }
}
