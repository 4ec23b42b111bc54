using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.WebApi.Infrastructure;

/// <summary>
/// Echoes a well-formed <c>X-Request-Id</c> (≤ 128 chars of <c>[A-Za-z0-9._:-]</c>) or generates one,
/// and uses it as the request's trace identifier.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        var given = context.Request.Headers[HeaderName].ToString();
        var requestId = IsWellFormed(given) ? given : Guid.NewGuid().ToString("N");
        context.TraceIdentifier = requestId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsWellFormed(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}

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
