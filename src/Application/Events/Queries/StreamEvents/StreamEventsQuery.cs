using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;

namespace ProxmoxLxc.Application.Events.Queries.StreamEvents;

/// <summary>
/// Opens a stream of the events the caller may see: <paramref name="Types"/> a comma-separated list of event types,
/// <paramref name="VmId"/> one container, <paramref name="LastEventId"/> the last event the client received (the
/// <c>Last-Event-ID</c> header or the <c>lastEventId</c> parameter): events after it are replayed before live ones.
/// </summary>
public sealed record StreamEventsQuery(
    string? Types = null,
    [property: JsonPropertyName("vmid")] int? VmId = null,
    string? LastEventId = null) : IAppQuery<EventSubscription>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.OperationsRead;

    /// <summary>The requested types (empty: all).</summary>
    internal IReadOnlyList<string> TypeList() =>
        Types is null ? [] : Types.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
}
