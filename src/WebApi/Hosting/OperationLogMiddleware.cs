using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Guarantees exactly one operation-log row per API call — also for calls that never reach a handler
/// (401, unknown route, unreadable body). The call ends with the final status code, which this layer maps
/// to the outcome and stable code that status stands for.
/// </summary>
internal sealed class OperationLogMiddleware(RequestDelegate next)
{
    /// <summary>The status recorded for a call whose client went away before it was answered.</summary>
    public const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context, IOperationRecorder recorder)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        recorder.Received();
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.Response.StatusCode;
            if (context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                status = ClientClosedRequest;
            }

            await recorder.EndAsync(EndOf(status));
        }
    }

    /// <summary>What an HTTP status says about a call that recorded no outcome of its own.</summary>
    internal static CallEnd EndOf(int status) => status switch
    {
        < 400 => new CallEnd(status, OperationOutcome.Succeeded),
        < 500 => new CallEnd(status, OperationOutcome.Rejected, ErrorCodes.ForStatus(status), $"HTTP {status}"),
        _ => new CallEnd(status, OperationOutcome.Failed, ErrorCodes.ForStatus(status), $"HTTP {status}"),
    };
}
