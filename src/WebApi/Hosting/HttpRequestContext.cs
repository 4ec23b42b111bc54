using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Request facts from the current HTTP request. Outside a request (the <c>keys create</c> verb, background
/// work in a scope of its own) it describes the work like the infrastructure's background context does,
/// instead of failing the call it is recording. A detached call in this scope (a batch's child) brings its own facts.
/// </summary>
internal sealed class HttpRequestContext(IHttpContextAccessor accessor, DetachedCall detached) : IRequestContext
{
    private readonly Lazy<string> _backgroundRequestId = new(() => Guid.NewGuid().ToString("N"));

    private HttpContext? Http => detached.Request is null ? accessor.HttpContext : null;

    public string RequestId => detached.Request?.RequestId ?? Http?.TraceIdentifier ?? _backgroundRequestId.Value;
    public string Method => detached.Request?.Method ?? Http?.Request.Method ?? "CLI";
    public string Path => detached.Request?.Path ?? (Http is { } http ? http.Request.Path.Value ?? "/" : "-");
    public string? ClientAddress => detached.Request is { } request ? request.ClientAddress : Http?.Connection.RemoteIpAddress?.ToString();
}
