using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Request facts from the current HTTP request. Outside a request (the <c>keys create</c> verb, background
/// work in a scope of its own) it describes the work like the infrastructure's background context does,
/// instead of failing the call it is recording.
/// </summary>
internal sealed class HttpRequestContext(IHttpContextAccessor accessor) : IRequestContext
{
    private readonly Lazy<string> _backgroundRequestId = new(() => Guid.NewGuid().ToString("N"));

    private HttpContext? Http => accessor.HttpContext;

    public string RequestId => Http?.TraceIdentifier ?? _backgroundRequestId.Value;
    public string Method => Http?.Request.Method ?? "CLI";
    public string Path => Http is { } http ? http.Request.Path.Value ?? "/" : "-";
    public string? ClientAddress => Http?.Connection.RemoteIpAddress?.ToString();
}
