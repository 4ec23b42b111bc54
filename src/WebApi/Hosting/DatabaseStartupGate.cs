using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// The web server starts while the database is still being migrated and seeded (<see cref="IDatabaseStartup"/>), so
/// that its own start-up overlaps with that work. Until the database is ready a request waits here — before it is
/// authenticated or logged, which both use the database — and then goes on as usual. <c>/health/ready</c> waits too, so
/// a readiness probe answers once the service can serve (or times out before); only <c>/health/live</c> answers at once,
/// so that a long migration is not taken for a hung process. A request still waiting after <see cref="MaxWait"/> (a long
/// migration) is answered 503 with <c>Retry-After</c> rather than held any longer; when the database's start-up failed,
/// the service is stopping: 503.
/// </summary>
internal sealed class DatabaseStartupGate(RequestDelegate next, IDatabaseStartup database, IProblemDetailsService problems, TimeProvider time)
{
    /// <summary>The longest a request waits for the database's start-up before it is answered 503.</summary>
    internal static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>The <c>Retry-After</c> of that answer.</summary>
    internal static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Once the database is ready: the next middleware, with no state machine or allocation of its own.</summary>
    public Task InvokeAsync(HttpContext context) =>
        database.IsReady || context.Request.Path.Equals(HealthEndpoints.LivePath, StringComparison.OrdinalIgnoreCase)
            ? next(context)
            : WaitThenInvokeAsync(context);

    private async Task WaitThenInvokeAsync(HttpContext context)
    {
        bool? ready;
        try
        {
            ready = await database.WaitAsync(context.RequestAborted).WaitAsync(MaxWait, time);
        }
        catch (TimeoutException)
        {
            ready = null;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away while the service was starting
        }

        if (ready == true)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        if (ready is null)
        {
            context.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = ready is null
                    ? "The service is starting and its database is still being prepared; retry after the Retry-After header's seconds."
                    : "The service could not prepare its database at start-up and is stopping.",
            },
        });
    }
}
