using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace ProxmoxLxc.Client;

/// <summary>One event received from <c>GET /api/v1/events</c>, typed by its <see cref="Type"/>.</summary>
public sealed class ReceivedEvent
{
    internal ReceivedEvent(long id, string type, string data, JsonSerializerOptions options)
    {
        Id = id;
        Type = type;
        Data = data;
        if (type.StartsWith("operation.", StringComparison.Ordinal))
        {
            Operation = JsonSerializer.Deserialize<OperationDto>(data, options);
        }
        else if (type == "container.state")
        {
            ContainerState = JsonSerializer.Deserialize<ContainerStateChange>(data, options);
        }
    }

    /// <summary>The event id (increasing); <see cref="EventsClient.ListenAsync"/> resumes after it on reconnect.</summary>
    public long Id { get; }

    /// <summary><c>operation.started</c>, <c>operation.succeeded</c>, <c>operation.failed</c> or <c>container.state</c>.</summary>
    public string Type { get; }

    /// <summary>The raw JSON data (also for event types newer than this client).</summary>
    public string Data { get; }

    /// <summary>The Operation, for <c>operation.*</c> events.</summary>
    public OperationDto? Operation { get; }

    /// <summary>The state change, for <c>container.state</c> events.</summary>
    public ContainerStateChange? ContainerState { get; }
}

/// <summary>
/// The data of a <c>container.state</c> event; <see cref="Source"/> says what saw the change: <c>operation</c> (an
/// action through the API) or <c>inventory</c> (the API's view of the cluster: changed outside the API).
/// </summary>
public sealed record ContainerStateChange(
    [property: System.Text.Json.Serialization.JsonPropertyName("vmid")] int VmId,
    [property: System.Text.Json.Serialization.JsonPropertyName("node")] string? Node,
    [property: System.Text.Json.Serialization.JsonPropertyName("status")] string Status,
    [property: System.Text.Json.Serialization.JsonPropertyName("previousStatus")] string? PreviousStatus,
    [property: System.Text.Json.Serialization.JsonPropertyName("source")] string? Source);

/// <summary>Server-sent events (<c>GET /api/v1/events</c>): see <see cref="EventsClient"/>.</summary>
public interface IEventsClient
{
    /// <inheritdoc cref="EventsClient.ListenAsync"/>
    IAsyncEnumerable<ReceivedEvent> ListenAsync(IEnumerable<string>? types = null, int? vmid = null, long? lastEventId = null,
        CancellationToken cancellationToken = default);
}

/// <summary>
/// Server-sent events, written by hand: the operation is marked <c>x-proxmoxlxc-client: hand-written</c> in the OpenAPI
/// document and left out of generation, since a request/response method cannot read an endless stream.
/// <see cref="ListenAsync"/> keeps the stream open, parses it and yields typed events; when the connection drops (or
/// the server ends the stream) it reconnects with <c>Last-Event-ID</c>, so no event is lost or repeated. A 4xx answer
/// (bad filter, key revoked or lacking the scope) ends it with <see cref="ProxmoxLxcApiException"/>. Created like the
/// generated clients (<c>factory.Create&lt;EventsClient&gt;()</c>, or <see cref="IEventsClient"/> from DI).
/// </summary>
public sealed class EventsClient : IEventsClient
{
    private static readonly JsonSerializerOptions JsonSerializerSettings = new();

    private readonly HttpClient _httpClient;

    public EventsClient(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _httpClient = httpClient;
    }

    /// <summary>Wait before reconnecting when the server sent no <c>retry:</c>.</summary>
    public static readonly TimeSpan DefaultReconnectDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The events after <paramref name="lastEventId"/> (none: from now on), filtered by <paramref name="types"/> and
    /// <paramref name="vmid"/>, until <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async IAsyncEnumerable<ReceivedEvent> ListenAsync(IEnumerable<string>? types = null, int? vmid = null, long? lastEventId = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = BuildQuery(types, vmid);
        var delay = DefaultReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var response = await ConnectAsync(query, lastEventId, cancellationToken).ConfigureAwait(false);
            if (response is not null)
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
                while (true)
                {
                    var item = await ReadItemAsync(reader, cancellationToken).ConfigureAwait(false);
                    if (item is null)
                    {
                        break;
                    }

                    if (item.Value.Retry is { } retry)
                    {
                        delay = retry;
                    }

                    if (item.Value.Type is { } type && item.Value.Id is { } id)
                    {
                        lastEventId = id;
                        yield return new ReceivedEvent(id, type, item.Value.Data, JsonSerializerSettings);
                    }
                }
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string BuildQuery(IEnumerable<string>? types, int? vmid)
    {
        var parts = new List<string>();
        if (types?.ToList() is { Count: > 0 } list)
        {
            parts.Add("types=" + Uri.EscapeDataString(string.Join(',', list)));
        }

        if (vmid is { } id)
        {
            parts.Add("vmid=" + id.ToString(CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    /// <summary>The open stream, or null when the connection failed in a way worth retrying (network, 5xx, 429).</summary>
    private async Task<HttpResponseMessage?> ConnectAsync(string query, long? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/v1/events" + query, UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
        }

        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return null;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => h.Value);
            throw new ProxmoxLxcApiException("The events stream was refused.", status, body, headers, null);
        }
    }

    /// <summary>One item (up to a blank line), or null when the stream ended or broke.</summary>
    private static async Task<(long? Id, string? Type, string Data, TimeSpan? Retry)?> ReadItemAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        long? id = null;
        string? type = null;
        TimeSpan? retry = null;
        var data = new StringBuilder();
        var any = false;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                line = null;
            }

            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (any)
                {
                    return (id, type, data.ToString(), retry);
                }

                continue;
            }

            any = true;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon == 0)
            {
                continue; // a comment (heartbeat, notices)
            }

            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                    id = parsed;
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    data.Append(data.Length > 0 ? "\n" : string.Empty).Append(value);
                    break;
                case "retry" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms):
                    retry = TimeSpan.FromMilliseconds(ms);
                    break;
            }
        }
    }
}
