using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>
/// The transport: builds requests (query string for GET/DELETE, form body for POST/PUT, no body on DELETE), unwraps
/// <c>{"data":…}</c> and turns every failure (status codes, network, TLS, Polly timeouts and open circuit) into an
/// <see cref="AppException"/>. No <see cref="HttpRequestException"/> leaves this class. Reads are cancelled with their
/// callers (see <see cref="GetAsync(string, string, CancellationToken, IEnumerable{KeyValuePair{string, string}})"/>);
/// writes are not (see <see cref="SendForEnvelopeAsync"/>).
/// </summary>
internal sealed class ProxmoxApiClient(IHttpClientFactory httpClientFactory, ProxmoxMetrics metrics, ILogger<ProxmoxApiClient> logger)
{
    public const string HttpClientName = "ProxmoxLxc.Proxmox";
    public const string ApiRoot = "api2/json/";

    private readonly SingleFlight<JsonElement> _reads = new();
    /// <summary>The typed reads' <see cref="SingleFlight{T}"/>, one per result type.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, object> _typedReads = new();

    /// <summary>
    /// A read; concurrent identical reads (same path and parameters) share one Proxmox call, with its read deadline and
    /// retries. A caller that hangs up stops waiting; the shared call is cancelled when no caller waits for it any more.
    /// </summary>
    public Task<JsonElement> GetAsync(string path, string operation, CancellationToken cancellationToken, params IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var list = parameters as IReadOnlyCollection<KeyValuePair<string, string>> ?? parameters.ToList();
        return _reads.RunAsync(ReadKey(path, list), shared => SendAsync(HttpMethod.Get, path, list, operation, shared), cancellationToken);
    }

    /// <summary>
    /// A read into <typeparamref name="T"/>, shared as <see cref="GetAsync(string, string, CancellationToken, IEnumerable{KeyValuePair{string, string}})"/>
    /// is, deserialized straight from the buffered answer: no copy of the bytes and no document (the 2,000-container
    /// <c>/cluster/resources</c> answer is ~1.4 MB — every copy of it is large-object-heap garbage at each refresh).
    /// </summary>
    public Task<T> GetAsync<T>(string path, string operation, CancellationToken cancellationToken, params IEnumerable<KeyValuePair<string, string>> parameters)
        where T : class
    {
        var list = parameters as IReadOnlyCollection<KeyValuePair<string, string>> ?? parameters.ToList();
        var reads = (SingleFlight<T>)_typedReads.GetOrAdd(typeof(T), static _ => new SingleFlight<T>());
        return reads.RunAsync(
            ReadKey(path, list), shared => SendAsync(HttpMethod.Get, path, list, operation, (content, ct) => ReadDataAsync<T>(content, operation, ct), shared),
            cancellationToken);
    }

    /// <summary>What makes two reads identical: the path and the parameters in order.</summary>
    private static string ReadKey(string path, IReadOnlyCollection<KeyValuePair<string, string>> parameters) =>
        parameters.Count == 0 ? path : path + "?" + string.Join('&', parameters.Select(p => p.Key + "=" + p.Value));

    public static T Deserialize<T>(JsonElement data, string operation)
    {
        try
        {
            return data.Deserialize<T>(ProxmoxJson.Options)
                ?? throw NoData(operation);
        }
        catch (JsonException ex)
        {
            throw UnexpectedAnswer(operation, ex);
        }
    }

    public async Task<JsonElement> SendAsync(
        HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? parameters, string operation, CancellationToken cancellationToken)
    {
        var root = await SendForEnvelopeAsync(method, path, parameters, operation, cancellationToken);
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) ? data : default;
    }

    /// <summary>The whole answer object (<c>data</c> plus siblings such as <c>total</c>).</summary>
    public Task<JsonElement> SendForEnvelopeAsync(
        HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? parameters, string operation, CancellationToken cancellationToken) =>
        SendAsync(method, path, parameters, operation, async (content, ct) => ParseData(await content.ReadAsByteArrayAsync(ct), operation), cancellationToken);

    /// <summary>One call: a successful answer is read by <paramref name="readAnswer"/>, any other becomes an <see cref="AppException"/>.</summary>
    private async Task<TAnswer> SendAsync<TAnswer>(
        HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? parameters, string operation,
        Func<HttpContent, CancellationToken, Task<TAnswer>> readAnswer, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string? errorCode = null;
        // A write, once sent, is not abandoned because its caller hung up (its outcome would be unknown); the dispatch
        // timeout bounds it. Reads follow the caller: a client that disconnects cancels its read.
        if (method != HttpMethod.Get)
            cancellationToken = CancellationToken.None;
        try
        {
            using var request = BuildRequest(method, path, parameters?.ToList() ?? []);
            using var response = await SendCoreAsync(request, path, cancellationToken);
            try
            {
                if (response.IsSuccessStatusCode)
                    return await readAnswer(response.Content, cancellationToken);
                var body = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(cancellationToken));
                var (message, errors) = ParseError(body, response.ReasonPhrase);
                ProxmoxLog.CallFailed(logger, method.Method, path, (int)response.StatusCode, message);
                throw ProxmoxErrorTranslator.Translate((int)response.StatusCode, message, errors);
            }
            catch (HttpRequestException ex)
            {
                if (method != HttpMethod.Get)
                    throw new ProxmoxAnswerLostException(timedOut: false, ex);
                throw new ProxmoxUnavailableException("The connection to Proxmox broke while reading the answer.", ex);
            }
        }
        catch (AppException ex)
        {
            errorCode = ex.Code;
            throw;
        }
        catch (OperationCanceledException)
        {
            errorCode = ErrorCodes.OperationOnly.Cancelled;
            throw;
        }
        finally
        {
            metrics.Record(operation, method.Method, Stopwatch.GetElapsedTime(started), errorCode);
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, string path, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            ProxmoxLog.CallUnavailable(logger, request.Method.Method, path, "circuit open", ex);
            throw new ProxmoxUnavailableException(
                "Proxmox is unavailable (circuit open after repeated failures); try again later.", ex, ex.RetryAfter);
        }
        catch (TimeoutRejectedException ex)
        {
            ProxmoxLog.CallUnavailable(logger, request.Method.Method, path, "timeout", ex);
            if (request.Method != HttpMethod.Get)
                throw new ProxmoxAnswerLostException(timedOut: true, ex);
            throw new ProxmoxTimeoutException("Proxmox did not answer in time.", ex);
        }
        catch (HttpRequestException ex) when (IsTlsFailure(ex))
        {
            ProxmoxLog.CallUnavailable(logger, request.Method.Method, path, "TLS failure", ex);
            throw new ProxmoxUnavailableException(
                "The TLS connection to Proxmox was refused: the server certificate is not trusted (check Proxmox:CertificateFingerprint).", ex);
        }
        catch (HttpRequestException ex)
        {
            ProxmoxLog.CallUnavailable(logger, request.Method.Method, path, ex.HttpRequestError.ToString(), ex);
            // A write whose connection broke after it was sent may have been carried out; one that never connected was not.
            if (request.Method != HttpMethod.Get && ex.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError))
                throw new ProxmoxAnswerLostException(timedOut: false, ex);
            throw new ProxmoxUnavailableException($"Proxmox cannot be reached ({ex.HttpRequestError}).", ex);
        }
        catch (SocketException ex)
        {
            // SocketsHttpHandler lets a SocketException escape unwrapped only while it connects (e.g. reading the remote
            // end point of a connection Proxmox reset at once): nothing was sent, so a write did not happen either.
            ProxmoxLog.CallUnavailable(logger, request.Method.Method, path, ex.SocketErrorCode.ToString(), ex);
            throw new ProxmoxUnavailableException($"Proxmox cannot be reached ({ex.SocketErrorCode}).", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            ProxmoxLog.CallUnavailable(logger, request.Method.Method, path, "timeout", ex);
            if (request.Method != HttpMethod.Get)
                throw new ProxmoxAnswerLostException(timedOut: true, ex);
            throw new ProxmoxTimeoutException("Proxmox did not answer in time.", ex);
        }
    }

    /// <summary>The server certificate was rejected (not merely a connection dropped during the handshake).</summary>
    internal static bool IsTlsFailure(Exception ex) => ex.InnerException is AuthenticationException;

    private static HttpRequestMessage BuildRequest(HttpMethod method, string path, List<KeyValuePair<string, string>> parameters)
    {
        var withBody = method == HttpMethod.Post || method == HttpMethod.Put;
        var url = new StringBuilder(ApiRoot).Append(path);
        if (!withBody && parameters.Count > 0)
        {
            url.Append('?');
            url.AppendJoin('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        }

        var request = new HttpRequestMessage(method, new Uri(url.ToString(), UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (withBody)
            request.Content = new FormUrlEncodedContent(parameters);
        return request;
    }

    /// <summary>The <c>data</c> of a successful answer, deserialized from the buffered content's stream.</summary>
    private static async Task<T> ReadDataAsync<T>(HttpContent content, string operation, CancellationToken cancellationToken)
        where T : class
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        try
        {
            var envelope = await JsonSerializer.DeserializeAsync<DataEnvelope<T>>(stream, ProxmoxJson.Options, cancellationToken);
            return envelope?.Data ?? throw NoData(operation);
        }
        catch (JsonException ex)
        {
            throw UnexpectedAnswer(operation, ex);
        }
    }

    private static ProxmoxErrorException NoData(string operation) => new($"Proxmox returned no data for {operation}.");

    private static ProxmoxErrorException UnexpectedAnswer(string operation, JsonException ex) =>
        new($"Proxmox returned an unexpected answer for {operation}.", ex);

    /// <summary>Proxmox's answer object: the result is its <c>data</c>.</summary>
    private sealed record DataEnvelope<T>([property: System.Text.Json.Serialization.JsonPropertyName("data")] T? Data)
        where T : class;

    /// <summary>The answer as a standalone element, parsed from its UTF-8 bytes (no intermediate string).</summary>
    private static JsonElement ParseData(byte[] body, string operation)
    {
        try
        {
            return JsonElement.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new ProxmoxErrorException($"Proxmox returned a non-JSON answer for {operation}.", ex);
        }
    }

    /// <summary>The message (JSON <c>message</c>, else the reason phrase, which holds its first line) and field errors.</summary>
    internal static (string Message, IReadOnlyDictionary<string, string[]>? Errors) ParseError(string body, string? reasonPhrase)
    {
        string? message = null;
        Dictionary<string, string[]>? errors = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                        message = m.GetString();
                    if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                    {
                        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
                        foreach (var property in e.EnumerateObject())
                        {
                            errors[property.Name] = (ProxmoxJson.AsText(property.Value) ?? string.Empty)
                                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Non-JSON error bodies (595/596 from proxies): fall back to the reason phrase.
            }
        }

        message = ProxmoxErrorTranslator.Clean(message);
        if (message.Length == 0)
            message = ProxmoxErrorTranslator.Clean(reasonPhrase);
        return (message, errors);
    }
}
