namespace ProxmoxLxc.WebApi.Hosting;

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
