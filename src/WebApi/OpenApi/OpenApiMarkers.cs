namespace ProxmoxLxc.WebApi.OpenApi;

/// <summary>
/// Marks an action that honours <c>If-Match</c> (optimistic concurrency): the OpenAPI document gets the header
/// parameter and the <c>412 precondition_failed</c> response. Actions that bind a header named <c>If-Match</c>
/// (<c>[FromHeader(Name = "If-Match")]</c>) get the same documentation without the marker.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class IfMatchAttribute : Attribute;

/// <summary>
/// Marks a POST action that does not honour <c>Idempotency-Key</c>, so the document does not offer the header.
/// Every other POST is documented with it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class NoIdempotencyKeyAttribute : Attribute;

/// <summary>
/// Marks an action that answers <c>200</c> with a <c>text/event-stream</c>: the document lists that media type for the
/// response, with the schema of one event (its <c>[ProducesResponseType]</c> type), instead of JSON, and marks the
/// operation <c>x-proxmoxlxc-client: hand-written</c>: the C# client's build leaves it out of generation (a generated
/// method would read the endless body as one JSON value) — <c>EventsClient.ListenAsync</c> is the client's entry.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ServerSentEventsAttribute : Attribute
{
    public const string MediaType = "text/event-stream";

    /// <summary>The OpenAPI extension naming an operation the generated client must not include.</summary>
    public const string ClientExtension = "x-proxmoxlxc-client";

    public const string HandWrittenClient = "hand-written";
}
