using System.Text;

namespace ProxmoxLxc.WebApi.FunctionalTests.Events;

/// <summary>One item of a <c>text/event-stream</c>: an event (id, type, data) or a comment.</summary>
internal sealed record SseItem(long? Id, string? Type, string? Data, string? Comment)
{
    public bool IsEvent => Type is not null;
}

/// <summary>
/// Reads a live <c>GET /api/v1/events</c> response line by line, as an <c>EventSource</c> would: blank lines end an item;
/// <c>: text</c> is a comment. Every read is bounded so that a missing event fails the test instead of hanging it.
/// </summary>
internal sealed class EventStreamReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStreamReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response;

    public static async Task<EventStreamReader> OpenAsync(HttpClient client, string query = "", string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events" + query);
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        return new EventStreamReader(response, body);
    }

    /// <summary>The next item, or null when the stream ended; fails after <paramref name="timeout"/> (default 20 s).</summary>
    public async Task<SseItem?> NextAsync(TimeSpan? timeout = null)
    {
        using var bound = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        long? id = null;
        string? type = null;
        var data = new StringBuilder();
        string? comment = null;
        var any = false;
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No complete item arrived on the event stream in time.");
            }

            if (line is null)
            {
                return any ? new SseItem(id, type, data.ToString(), comment) : null;
            }

            if (line.Length == 0)
            {
                if (type is not null || comment is not null)
                {
                    return new SseItem(id, type, type is null ? null : data.ToString(), comment);
                }

                continue;
            }

            any = true;
            if (line.StartsWith(':'))
            {
                comment = line[1..].Trim();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> events (comments skipped).</summary>
    public async Task<List<SseItem>> EventsAsync(int count, TimeSpan? timeout = null)
    {
        var events = new List<SseItem>();
        while (events.Count < count)
        {
            var item = await NextAsync(timeout) ?? throw new InvalidOperationException($"The stream ended after {events.Count} of {count} events.");
            if (item.IsEvent)
            {
                events.Add(item);
            }
        }

        return events;
    }

    /// <summary>The comments until the stream ends (events fail the read); the stream must end within <paramref name="timeout"/>.</summary>
    public async Task<List<string>> CommentsUntilEndAsync(TimeSpan timeout)
    {
        var comments = new List<string>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var item = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (item is null)
            {
                return comments;
            }

            comments.Add(item.Comment ?? $"event {item.Type}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}
