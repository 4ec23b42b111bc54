using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Events.Queries.StreamEvents;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// Writes an <see cref="EventSubscription"/> as <c>text/event-stream</c>: <c>id:</c>, <c>event:</c> and <c>data:</c> per
/// event, <c>: …</c> comments, one flush per item and no response buffering (works with <c>curl -N</c>). Ends when the
/// subscription ends, the client goes away or the service stops.
/// </summary>
internal sealed class ServerSentEventsResult(EventSubscription subscription) : IActionResult
{
    /// <summary>How long an <c>EventSource</c> waits before reconnecting (the stream's <c>retry:</c>).</summary>
    public const int RetryMilliseconds = 2000;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache, no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await WriteAsync(http.Response, $"retry: {RetryMilliseconds.ToString(CultureInfo.InvariantCulture)}\n: connected\n\n", ended.Token);
            await foreach (var item in subscription.ReadAsync(ended.Token))
            {
                await WriteAsync(http.Response, Format(item), ended.Token);
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The client went away or the service is stopping: the stream simply ends.
        }
    }

    internal static string Format(EventStreamItem item) => item switch
    {
        StreamedEvent e => $"id: {e.Id.ToString(CultureInfo.InvariantCulture)}\nevent: {e.Type}\ndata: {e.Data}\n\n",
        StreamComment c => $": {c.Text.ReplaceLineEndings(" ")}\n\n",
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, null),
    };

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
