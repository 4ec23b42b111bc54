using Mediator;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Events;
using ProxmoxLxc.Application.Events.Queries.StreamEvents;
using ProxmoxLxc.WebApi.Hosting;
using ProxmoxLxc.WebApi.OpenApi;

namespace ProxmoxLxc.WebApi.Controllers;

/// <summary>Server-sent events: operations and container states as they change.</summary>
[Route("api/v1/events")]
[Tags("Events")]
public sealed class EventsController(ISender sender) : ApiControllerBase(sender)
{
    /// <summary>
    /// Stream events (<c>text/event-stream</c>; scope <c>containers:read</c> for your own operations' events,
    /// <c>audit:read</c> for all, never outside the key's restriction). Each event has <c>id:</c>, <c>event:</c> (its
    /// type) and <c>data:</c> (JSON); a <c>: heartbeat</c> comment comes every 15 s on an idle stream. Reconnect with
    /// <c>Last-Event-ID</c> (or <c>?lastEventId=</c>) to replay what was missed before live events; an id older than
    /// retention replays from the oldest kept event and says so in a comment. The stream ends within 2 s when the key is
    /// revoked, disabled, expires or is rotated. Filters: <c>types</c> (comma-separated) and <c>vmid</c>.
    /// </summary>
    [HttpGet(Name = "Events_Stream")]
    [ServerSentEvents]
    [ProducesResponseType(typeof(EventDto), StatusCodes.Status200OK, ServerSentEventsAttribute.MediaType)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> Stream([FromQuery] StreamEventsQuery query, [FromHeader(Name = "Last-Event-ID")] string? lastEventIdHeader,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var subscription = await Sender.Send(query with { LastEventId = lastEventIdHeader ?? query.LastEventId }, cancellationToken);
        return new ServerSentEventsResult(subscription);
    }
}
