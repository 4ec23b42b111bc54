using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// The answer of every call that starts an operation: <c>202 Accepted</c>, <c>Location: /api/v1/operations/{id}</c>
/// and the Operation. With <c>Prefer: wait=N</c> (RFC 7240) the API first waits up to N seconds for the operation to
/// end and answers <c>200</c> with the finished Operation (still <c>202</c> when it is not finished), echoing
/// <c>Preference-Applied: wait=N</c>. N above 120 is clamped to 120 (and the applied value says so); an unreadable
/// preference is ignored, as RFC 7240 allows.
/// </summary>
internal sealed class OperationAcceptedResult(OperationDto operation) : IActionResult
{
    public const int MaxWaitSeconds = 120;

    public OperationDto Operation { get; } = operation;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var result = Operation;
        if (TryGetWait(http.Request, out var seconds))
        {
            var waiter = http.RequestServices.GetRequiredService<IOperationWaiter>();
            result = await waiter.WaitAsync(result, TimeSpan.FromSeconds(seconds), http.RequestAborted);
            http.Response.Headers["Preference-Applied"] = "wait=" + seconds.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers.Vary = "Prefer";
        }

        http.Response.Headers.Location = $"/api/v1/operations/{result.Id.ToString(CultureInfo.InvariantCulture)}";
        var status = result.Status == "running" ? StatusCodes.Status202Accepted : StatusCodes.Status200OK;
        await new ObjectResult(result) { StatusCode = status, DeclaredType = typeof(OperationDto) }.ExecuteResultAsync(context);
    }

    /// <summary>Reads <c>wait=N</c> from the <c>Prefer</c> headers (<c>Prefer: respond-async, wait=10</c>).</summary>
    internal static bool TryGetWait(HttpRequest request, out int seconds)
    {
        seconds = 0;
        foreach (var header in request.Headers["Prefer"])
        {
            foreach (var preference in (header ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var token = preference.Split(';', 2)[0].Trim();
                var eq = token.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || !token[..eq].Trim().Equals("wait", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var value = token[(eq + 1)..].Trim().Trim('"');
                if (value.Length is > 0 and <= 9 && value.All(char.IsAsciiDigit)
                    && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    seconds = Math.Min(parsed, MaxWaitSeconds);
                    return true;
                }
            }
        }

        return false;
    }
}
