using System.Net;
using System.Text;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

/// <summary>A scripted Proxmox: answers requests from a responder function and records what was sent.</summary>
internal sealed class FakeProxmoxHandler(Func<FakeProxmoxHandler.Recorded, HttpResponseMessage> responder) : HttpMessageHandler
{
    public sealed record Recorded(HttpMethod Method, string PathAndQuery, string? Body, IReadOnlyDictionary<string, string> Headers)
    {
        public string Path => PathAndQuery.Split('?')[0];
    }

    private readonly List<Recorded> _requests = [];

    /// <summary>Simulated latency (honours cancellation, like a real socket).</summary>
    public TimeSpan Delay { get; set; }

    public IReadOnlyList<Recorded> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK, string? reason = null) => new(status)
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
        ReasonPhrase = reason,
    };

    public static HttpResponseMessage Data(string dataJson) => Json("{\"data\":" + dataJson + "}");

    /// <summary>A Proxmox error: status line with the first message line, JSON body with message and optional errors.</summary>
    public static HttpResponseMessage Error(int status, string message, string? errorsJson = null) =>
        Json("{\"data\":null" + (errorsJson is null ? "" : ",\"errors\":" + errorsJson) + ",\"message\":\"" + message.Replace("\"", "\\\"", StringComparison.Ordinal) + "\\n\"}",
            (HttpStatusCode)status, message.Split('\n')[0]);

    public static HttpResponseMessage Empty(int status, string reason) => new((HttpStatusCode)status) { ReasonPhrase = reason, Content = new StringContent("") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var recorded = new Recorded(request.Method, request.RequestUri!.PathAndQuery, body, headers);
        lock (_requests)
            _requests.Add(recorded);
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, cancellationToken);
        var response = responder(recorded);
        response.RequestMessage = request;
        return response;
    }
}
