namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// <c>X-Content-Type-Options: nosniff</c> on every response and <c>Cache-Control: no-store</c> on every <c>/api</c>
/// response (plaintext keys, container data and errors are never kept by a cache), whoever writes the response:
/// controllers, the authentication challenge, the rate limiter, the exception handler or the status-code pages.
/// Registered first, so its callback runs last and wins over any other <c>Cache-Control</c>.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            if (http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
