using System.Globalization;
using System.Text.Json;

namespace ProxmoxLxc.Client;

/// <summary>
/// An error answer from the ProxmoxLxc API (thrown by every generated client method for a non-success status).
/// Exposes the RFC 9457 problem body: the stable <see cref="Code"/> (e.g. <c>key_not_found</c>), <see cref="Errors"/>
/// for validation failures, <see cref="TraceId"/> and the HTTP <see cref="StatusCode"/>. The code is read from the raw
/// body, so codes newer than this client still arrive.
/// </summary>
public class ProxmoxLxcApiException : Exception
{
    public ProxmoxLxcApiException()
        : this("The ProxmoxLxc API answered with an error.", 0, null, new Dictionary<string, IEnumerable<string>>(), null)
    {
    }

    public ProxmoxLxcApiException(string message)
        : this(message, 0, null, new Dictionary<string, IEnumerable<string>>(), null)
    {
    }

    public ProxmoxLxcApiException(string message, Exception innerException)
        : this(message, 0, null, new Dictionary<string, IEnumerable<string>>(), innerException)
    {
    }

    public ProxmoxLxcApiException(string message, int statusCode, string? response,
        IReadOnlyDictionary<string, IEnumerable<string>> headers, Exception? innerException)
        : base(Describe(message, statusCode, response), innerException)
    {
        StatusCode = statusCode;
        Response = response;
        Headers = headers ?? new Dictionary<string, IEnumerable<string>>();
        ReadProblem(response);
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The raw response body.</summary>
    public string? Response { get; }

    /// <summary>The response headers.</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; }

    /// <summary>The problem's stable machine code (<c>validation_failed</c>, <c>unauthenticated</c>, …), or null when the body had none.</summary>
    public string? Code { get; private set; }

    /// <summary>The problem's title.</summary>
    public string? Title { get; private set; }

    /// <summary>The problem's detail.</summary>
    public string? Detail { get; private set; }

    /// <summary>The request's trace id (equals <see cref="RequestId"/>; absent from the constant 401 body).</summary>
    public string? TraceId { get; private set; }

    /// <summary>For validation problems: JSON field path → messages.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The <c>X-Request-Id</c> response header.</summary>
    public string? RequestId => Headers.FirstOrDefault(h => h.Key.Equals("X-Request-Id", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    private void ReadProblem(string? response)
    {
        if (string.IsNullOrWhiteSpace(response))
        {
            return;
        }

        try
        {
            using var json = JsonDocument.Parse(response);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            Code = StringOf(root, "code");
            Title = StringOf(root, "title");
            Detail = StringOf(root, "detail");
            TraceId = StringOf(root, "traceId");
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                Errors = errors.EnumerateObject().ToDictionary(
                    e => e.Name,
                    e => (IReadOnlyList<string>)(e.Value.ValueKind == JsonValueKind.Array
                        ? [.. e.Value.EnumerateArray().Select(m => m.ToString())]
                        : [e.Value.ToString()]),
                    StringComparer.Ordinal);
            }
        }
        catch (JsonException)
        {
            // Not a problem body (e.g. a proxy's HTML page): Response keeps the raw text.
        }
    }

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Describe(string message, int statusCode, string? response)
    {
        var body = response is null ? string.Empty : response.Length > 512 ? response[..512] : response;
        return statusCode == 0
            ? message
            : string.Create(CultureInfo.InvariantCulture, $"{message}\n\nStatus: {statusCode}\nResponse: \n{body}");
    }
}

/// <summary>An error answer whose body was deserialized as <typeparamref name="TResult"/> (usually <see cref="ProblemDetails"/>).</summary>
#pragma warning disable CA1032 // The generated client constructs it with this exact signature.
public class ProxmoxLxcApiException<TResult> : ProxmoxLxcApiException
#pragma warning restore CA1032
{
    public ProxmoxLxcApiException(string message, int statusCode, string? response,
        IReadOnlyDictionary<string, IEnumerable<string>> headers, TResult result, Exception? innerException)
        : base(message, statusCode, response, headers, innerException) => Result = result;

    /// <summary>The deserialized body.</summary>
    public TResult Result { get; }
}
