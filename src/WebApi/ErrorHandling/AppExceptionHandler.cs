using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Common.Exceptions;

namespace ProxmoxLxc.WebApi.ErrorHandling;

/// <summary>The one place that turns exceptions into ProblemDetails. No stack trace, SQL or credential leaves here.</summary>
internal sealed partial class AppExceptionHandler(IProblemDetailsService problemDetails, ILogger<AppExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        switch (exception)
        {
            case RequestValidationException validation:
                problem = new HttpValidationProblemDetails(validation.Errors.ToDictionary(e => e.Key, e => e.Value))
                {
                    Status = validation.StatusCode,
                    Title = validation.Title,
                    Detail = validation.Message,
                };
                problem.Extensions["code"] = validation.Code;
                break;
            case AppException app:
                problem = new ProblemDetails { Status = app.StatusCode, Title = app.Title, Detail = app.Message };
                problem.Extensions["code"] = app.Code;
                foreach (var (name, value) in app.Extensions ?? new Dictionary<string, object?>())
                {
                    problem.Extensions[name] = value;
                }

                if (app.RetryAfter is { } retryAfter)
                {
                    httpContext.Response.Headers.RetryAfter =
                        ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                if (app.StatusCode >= 500)
                {
                    LogUpstreamFailure(logger, app.Code, app.Message);
                }

                break;
            case BadHttpRequestException bad:
                problem = new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = "The request could not be read." };
                break;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                httpContext.Response.StatusCode = 499;
                return true;
            default:
                LogUnexpected(logger, exception);
                problem = new ProblemDetails
                {
                    Status = StatusCodes.Status500InternalServerError,
                    Title = "Internal server error",
                    Detail = "An unexpected error occurred. Quote the traceId when you report it.",
                };
                problem.Extensions["code"] = ErrorCodes.InternalError;
                break;
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream failure {Code}: {Message}")]
    private static partial void LogUpstreamFailure(ILogger logger, string code, string message);
}
