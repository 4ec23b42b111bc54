using Mediator;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.Events.Queries.StreamEvents;

/// <summary>
/// Resolves where the stream starts: after <c>Last-Event-ID</c> when given (replay), else after the newest event (live
/// only). A position older than retention replays from the oldest kept event and says so in a comment.
/// </summary>
internal sealed class StreamEventsQueryHandler(
    IEventLog log, IApiKeyCache keys, IClusterInventory inventory, ICurrentCaller currentCaller, OperationVisibility visibility,
    IOptions<EventOptions> options, TimeProvider time) : IQueryHandler<StreamEventsQuery, EventSubscription>
{
    public async ValueTask<EventSubscription> Handle(StreamEventsQuery query, CancellationToken cancellationToken)
    {
        var caller = currentCaller.Caller ?? throw new ForbiddenException(Scopes.OperationsRead);
        var rotatedAt = (await keys.FindAsync(caller.KeyId, cancellationToken))?.RotatedAt;
        var notices = new List<string>();
        long startAfter;
        if (query.LastEventId is { } text && StreamEventsQueryValidator.TryParseEventId(text, out var lastEventId))
        {
            startAfter = lastEventId;
            var oldest = await log.OldestIdAsync(cancellationToken);
            if (oldest > lastEventId + 1)
            {
                startAfter = oldest - 1;
                notices.Add($"events after {lastEventId} up to {oldest - 1} are past retention ({options.Value.RetentionDays} days) and were pruned; replaying from {oldest}");
            }
        }
        else
        {
            startAfter = await log.LatestIdAsync(cancellationToken);
        }

        return new EventSubscription(log, keys, inventory, visibility, options.Value, time, caller, rotatedAt, query, startAfter, notices);
    }
}
