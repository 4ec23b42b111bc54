using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Guarantees exactly one operation-log row per API call — also for calls that never reach a handler
/// (401, unknown route, unreadable body). The row is finished with the final status code.
/// </summary>
internal sealed class OperationLogMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IOperationRecorder recorder)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        _ = recorder.Entry; // stamps the request time now
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.Response.StatusCode;
            if (context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                status = 499;
            }

            await recorder.FinishAsync(status);
        }
    }
}
