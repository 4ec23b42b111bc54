using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using ProxmoxLxc.Application.Common.Exceptions;

namespace ProxmoxLxc.WebApi.ErrorHandling;

internal static class ProblemDetailsSetup
{
    /// <summary>Every problem body gets <c>type</c>, <c>instance</c>, <c>traceId</c> and a stable <c>code</c>.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        if (!problem.Extensions.TryGetValue("code", out var code) || code is null)
        {
            code = ErrorCodes.ForStatus(status);
            problem.Extensions["code"] = code;
        }

        problem.Type = ErrorCodes.TypeUri((string)code);
        problem.Instance = context.HttpContext.Request.Path;
        problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        problem.Extensions.Remove("requestId");
        if (Activity.Current is { } activity)
        {
            problem.Extensions["activityId"] = activity.TraceId.ToString();
        }

        if (status == StatusCodes.Status405MethodNotAllowed && string.IsNullOrEmpty(problem.Detail))
        {
            problem.Detail = $"{context.HttpContext.Request.Method} is not allowed on this resource.";
        }
        else if (status == StatusCodes.Status404NotFound && string.IsNullOrEmpty(problem.Detail))
        {
            problem.Detail = "No resource lives at this address.";
        }
    }

    /// <summary>Model-binding and JSON errors in the same shape as validation errors, keyed by JSON field path.</summary>
    public static IActionResult InvalidModelState(ActionContext context)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var parameterNames = context.ActionDescriptor.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, entry) in context.ModelState)
        {
            if (entry.ValidationState != ModelValidationState.Invalid)
            {
                continue;
            }

            // "The command field is required." only restates that the body was unreadable.
            if (parameterNames.Contains(key) && context.ModelState.Count > 1)
            {
                continue;
            }

            var field = parameterNames.Contains(key) ? "$" : FieldOf(key);
            var messages = entry.Errors.Select(e => MessageOf(e, parameterNames.Contains(key))).Distinct(StringComparer.Ordinal);
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, .. messages] : [.. messages];
        }

        var factory = context.HttpContext.RequestServices.GetRequiredService<ProblemDetailsFactory>();
        var problem = factory.CreateValidationProblemDetails(context.HttpContext, context.ModelState, 400,
            "Validation failed", detail: "The request body or parameters could not be read.");
        problem.Errors = errors;
        problem.Extensions["code"] = ErrorCodes.ValidationFailed;
        Customize(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
        return new BadRequestObjectResult(problem) { ContentTypes = { "application/problem+json" } };
    }

    /// <summary>Messages that never reveal .NET type names or parser internals.</summary>
    private static string MessageOf(ModelError error, bool wholeBody)
    {
        var text = error.ErrorMessage;
        if (wholeBody)
        {
            return "A valid JSON request body is required.";
        }

        if (text.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return "This field is not part of the request.";
        }

        if (error.Exception is not null || text.Contains("ProxmoxLxc.", StringComparison.Ordinal) || text.Contains("System.", StringComparison.Ordinal))
        {
            return "The value is not valid here.";
        }

        return text;
    }

    /// <summary><c>$.networks[0].ipv4</c> → <c>networks[0].ipv4</c> (a JSON path keeps the body's own spelling, so an
    /// unknown <c>$.Scopes</c> is reported as <c>Scopes</c>); <c>Networks[0].Ipv4</c> → <c>networks[0].ipv4</c>.</summary>
    private static string FieldOf(string key)
    {
        if (key.StartsWith('$'))
        {
            var path = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key[1..];
            return path.Length == 0 ? "$" : path;
        }

        return Application.Common.Behaviors.FieldPath.ToJsonPath(key);
    }

    public static void UseStatusCodeProblems(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async statusContext =>
        {
            var http = statusContext.HttpContext;
            if (http.Response.HasStarted || http.Response.ContentLength > 0 || http.Response.ContentType is not null)
            {
                return;
            }

            var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            await service.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails { Status = http.Response.StatusCode },
            });
        });

}
