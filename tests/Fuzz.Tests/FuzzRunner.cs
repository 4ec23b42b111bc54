using System.Text;
using ProxmoxEmulator;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>What one case produced: the answer and every request the emulator journaled meanwhile.</summary>
internal sealed record CaseOutcome(
    FuzzCase Case,
    string Url,
    int Status,
    string? MediaType,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Body,
    IReadOnlyList<JournalEntry> Journal)
{
    public override string ToString() =>
        $"{Status} {MediaType} {FuzzCase.Escape(Body, 1_000)}";
}

/// <summary>
/// Runs cases one at a time from the same state: running emulator tasks are awaited, the cluster is reset to the
/// seed and the journal cleared before each request. An accepted Operation (202: a batch dispatches its items after
/// the answer) is followed until it ends, so every Proxmox request a case causes lands in that case's journal.
/// </summary>
internal sealed class FuzzRunner(FuzzHost host, HttpClient client)
{
    private const string UnknownKey = "pxl_Unknown00001_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    public async Task<CaseOutcome> RunAsync(FuzzCase fuzzCase)
    {
        await SettleAsync();
        host.Emulator.Engine.ResetCluster();
        var url = fuzzCase.Url;
        if (fuzzCase.Victim is { } victim)
        {
            var (id, _) = await host.CreateKeyAsync(victim);
            url = url.Replace(FuzzCase.VictimPlaceholder, id, StringComparison.Ordinal);
        }

        host.Emulator.Journal.Reset();
        using var request = new HttpRequestMessage(new HttpMethod(fuzzCase.Method), url);
        var key = fuzzCase.Actor switch
        {
            "anonymous" => null,
            "malformed-key" => "pxl_bad",
            "unknown-key" => UnknownKey,
            var name => host.Keys[name],
        };
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        foreach (var (name, value) in fuzzCase.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (fuzzCase.BodyBytes() is { } bytes)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzzCase.ContentType);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? await ReadStreamStartAsync(response)
            : Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        var headers = response.Headers.Concat(response.Content.Headers)
            .SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v))).ToList();
        if (response.StatusCode == System.Net.HttpStatusCode.Accepted && AcceptedOperationId(body) is { } operationId)
        {
            await AwaitOperationAsync(operationId);
        }

        await SettleAsync();
        return new CaseOutcome(fuzzCase, url, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, headers, body,
            host.Emulator.Journal.Entries);
    }

    /// <summary>An event stream never ends by itself: what it sends in its first half second (replay included), then hang up.</summary>
    private static async Task<string> ReadStreamStartAsync(HttpResponseMessage response)
    {
        using var window = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await using var stream = await response.Content.ReadAsStreamAsync(CancellationToken.None);
        using var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, window.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            // The window closed: the stream is still open, as it should be.
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    private static long? AcceptedOperationId(string body)
    {
        try
        {
            using var operation = System.Text.Json.JsonDocument.Parse(body);
            return operation.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && operation.RootElement.TryGetProperty("id", out var id) && id.TryGetInt64(out var value) ? value : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Polls the Operation (as the admin) until it is no longer <c>running</c>, for at most 10 s.</summary>
    private async Task AwaitOperationAsync(long operationId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            using var poll = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/operations/{operationId}");
            poll.Headers.Add("X-API-Key", FuzzHost.AdminKey);
            using var answer = await client.SendAsync(poll);
            using var operation = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsByteArrayAsync());
            if (!answer.IsSuccessStatusCode
                || !operation.RootElement.TryGetProperty("status", out var status) || status.GetString() != "running")
            {
                return;
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Waits until no emulator task runs (tasks take no time here; this only lets their completions land).</summary>
    private async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (host.Emulator.State.Tasks.Any(t => t.IsRunning) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1);
        }
    }
}
