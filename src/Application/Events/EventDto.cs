using System.Text.Json;

namespace ProxmoxLxc.Application.Events;

/// <summary>
/// One server-sent event as a client reads it: <c>id:</c> (increasing; send it back as <c>Last-Event-ID</c>),
/// <c>event:</c> (<c>operation.started</c>, <c>operation.succeeded</c>, <c>operation.failed</c>, <c>container.state</c>)
/// and <c>data:</c> (JSON: the Operation for <c>operation.*</c>; {vmid, node, status, previousStatus} for
/// <c>container.state</c>).
/// </summary>
public sealed record EventDto(long Id, string Type, JsonElement Data);
