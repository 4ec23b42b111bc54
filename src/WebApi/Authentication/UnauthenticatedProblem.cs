using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Common.Exceptions;

namespace ProxmoxLxc.WebApi.Authentication;

/// <summary>The 401 problem before its per-request members (<c>instance</c>, <c>traceId</c>) are added.</summary>
internal static class UnauthenticatedProblem
{
    public const string Title = "Unauthenticated";
    public const string Detail = "A valid API key is required in the X-API-Key header.";

    public static ProblemDetails Create()
    {
        var problem = new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = Title, Detail = Detail };
        problem.Extensions["code"] = ErrorCodes.Unauthenticated;
        return problem;
    }
}
