using ProxmoxLxc.Domain.Events;

namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// Reads the durable event log (the outbox of <see cref="ApiEvent"/> rows, written with the changes that cause them).
/// Each read uses a database context of its own, so a long-lived reader (a stream, a delivery loop) holds none.
/// </summary>
public interface IEventLog
{
    /// <summary>
    /// Up to <paramref name="limit"/> events with an id above <paramref name="afterId"/>, oldest first, among those
    /// <paramref name="filter"/> keeps (visibility: <see cref="Operations.RowVisibility.Apply{T}"/>; types; container),
    /// and the position to read after next time (past the events the filter skipped; never past an event not yet seen).
    /// </summary>
    Task<EventPage> ReadAfterAsync(long afterId, int limit, Func<IQueryable<ApiEvent>, IQueryable<ApiEvent>> filter,
        CancellationToken cancellationToken);

    /// <summary>The newest event's id (0 when the log is empty).</summary>
    Task<long> LatestIdAsync(CancellationToken cancellationToken);

    /// <summary>The oldest kept event's id (0 when the log is empty); older ones were pruned by retention.</summary>
    Task<long> OldestIdAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Waits until events above <paramref name="afterId"/> may exist: at once when this instance writes one, else at the
    /// next poll of the table (at most <c>Events:PollIntervalMilliseconds</c>, default 1000), which brings in events other
    /// instances on the same database wrote. Returns without error when <paramref name="cancellationToken"/> fires.
    /// </summary>
    Task WaitAsync(long afterId, CancellationToken cancellationToken);
}

/// <summary>A page of events and the id to read after next (<see cref="IEventLog.ReadAfterAsync"/>).</summary>
public sealed record EventPage(IReadOnlyList<ApiEvent> Events, long Position);
