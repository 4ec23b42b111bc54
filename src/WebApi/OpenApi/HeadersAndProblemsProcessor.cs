using System.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using ProxmoxLxc.WebApi.Authentication;
using ProxmoxLxc.WebApi.Hosting;

namespace ProxmoxLxc.WebApi.OpenApi;

/// <summary>
/// Documents the protocol headers and the error responses by convention:
/// <list type="bullet">
/// <item>every operation: <c>X-Request-Id</c> request header and response header on every response;</item>
/// <item>every error response: <c>application/problem+json</c> with the ProblemDetails schema (validation
/// problems keep their <c>errors</c> map) and an example whose <c>code</c> fits the resource;</item>
/// <item>401 with <c>WWW-Authenticate</c> and the same body for every cause; 429/503 with <c>Retry-After</c>;</item>
/// <item>a 202 response gets <c>Location</c>, a 200 twin for <c>Prefer: wait=N</c>, the <c>Prefer</c> request header and
/// <c>Preference-Applied</c>;</item>
/// <item>every POST gets <c>Idempotency-Key</c> (unless <see cref="NoIdempotencyKeyAttribute"/>) and its 422;</item>
/// <item><see cref="IfMatchAttribute"/> or a bound <c>If-Match</c> header gets the header docs and 412;</item>
/// <item>every operation gets 503 (start-up; a mutating one also the database); those of Proxmox-backed resources (<see cref="ProxmoxBackedTags"/>)
/// also 502/504, and their 503 names Proxmox too.</item>
/// </list>
/// </summary>
internal sealed class HeadersAndProblemsProcessor : IOperationProcessor
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Resources whose operations call Proxmox, so they can answer 502, 503 and 504.</summary>
    public static readonly IReadOnlySet<string> ProxmoxBackedTags = new HashSet<string>(StringComparer.Ordinal) { "Containers", "Snapshots", "Templates", "Nodes" };

    public bool Process(OperationProcessorContext context)
    {
        var operation = context.OperationDescription.Operation;
        var method = context.OperationDescription.Method;
        var tag = operation.Tags.FirstOrDefault() ?? string.Empty;
        var problem = ProblemSchema(context, "ProblemDetails");

        var proxmoxBacked = ProxmoxBackedTags.Contains(tag);
        if (proxmoxBacked)
        {
            AddProblem(operation, "502", problem);
            AddProblem(operation, "503", problem);
            AddProblem(operation, "504", problem);
        }

        // Every API call counts against the key's per-minute budget (RateLimiting:PermitsPerMinute).
        AddProblem(operation, "429", problem);

        // Every operation can meet a service that is still starting (DatabaseStartupGate); a mutating one also a database
        // that cannot record it (reads queue their log rows), a Proxmox-backed one an unreachable Proxmox.
        AddProblem(operation, "503", problem);
        operation.Responses["503"].Description = DescribeUnavailable(proxmoxBacked, method != OpenApiOperationMethod.Get);

        if (operation.OperationId == "Containers_Get" && operation.Responses.TryGetValue("200", out var detail))
        {
            detail.Headers["ETag"] = Header("The Proxmox config digest, quoted; send it back in `If-Match` to change the config safely.",
                JsonObjectType.String);
        }

        if (operation.Responses.TryGetValue("202", out var accepted))
        {
            DocumentAsyncOperation(operation, accepted);
        }

        if (method == OpenApiOperationMethod.Post && context.MethodInfo.GetCustomAttribute<NoIdempotencyKeyAttribute>() is null)
        {
            AddHeaderParameter(operation, "Idempotency-Key",
                "Makes the POST safe to retry: the same key from the same API key with the same body within 24 h returns the first " +
                "Operation instead of acting twice; with another body the answer is 422 `idempotency_key_reused`.",
                OperationConventionsProcessor.StringSchema("^[A-Za-z0-9._:-]{1,128}$", 128));
            AddProblem(operation, "422", problem);
        }

        if (context.MethodInfo.GetCustomAttribute<IfMatchAttribute>() is not null ||
            operation.Parameters.Any(p => p.Kind == OpenApiParameterKind.Header && p.Name.Equals("If-Match", StringComparison.OrdinalIgnoreCase)))
        {
            var ifMatch = operation.Parameters.FirstOrDefault(p => p.Name.Equals("If-Match", StringComparison.OrdinalIgnoreCase));
            if (ifMatch is null)
            {
                ifMatch = AddHeaderParameter(operation, "If-Match", string.Empty, OperationConventionsProcessor.StringSchema());
            }

            ifMatch.Name = "If-Match";
            ifMatch.Description = "The `ETag` of the resource as last read (the Proxmox config digest). When it no longer matches, " +
                "nothing changes and the answer is 412 `precondition_failed`. Without it the change applies unconditionally.";
            AddProblem(operation, "412", problem);
        }

        AddHeaderParameter(operation, RequestIdMiddleware.HeaderName,
            "Correlation id (≤ 128 characters of `[A-Za-z0-9._:-]`), echoed in the response and recorded in the operation log; generated when absent or malformed.",
            OperationConventionsProcessor.StringSchema("^[A-Za-z0-9._:-]{1,128}$", 128));

        foreach (var (status, response) in operation.Responses)
        {
            response.Headers[RequestIdMiddleware.HeaderName] = Header(
                "The request's correlation id (echoed from the request or generated); quote it when reporting a problem.");
            if (string.IsNullOrWhiteSpace(response.Description))
            {
                response.Description = DescribeStatus(status);
            }

            if (status[0] is '4' or '5')
            {
                var schema = response.Content.Values.FirstOrDefault()?.Schema ?? new JsonSchema { Reference = problem };
                var media = new OpenApiMediaType { Schema = schema };
                var validation = schema.ActualSchema.ActualProperties.ContainsKey("errors");
                if (OpenApiExamples.ForProblem(status, tag, operation.OperationId, validation) is { } example)
                {
                    var token = OpenApiExamples.Parse(example);
                    if (status != "401")
                    {
                        token["instance"] = context.OperationDescription.Path;
                    }

                    media.Example = token;
                }

                response.Content.Clear();
                response.Content[ProblemJson] = media;
            }
            else if (OpenApiExamples.Responses.TryGetValue((operation.OperationId, status), out var success))
            {
                foreach (var media in response.Content.Values)
                {
                    media.Example = OpenApiExamples.Parse(success);
                }
            }

            switch (status)
            {
                case "401":
                    response.Headers["WWW-Authenticate"] = Header($"Always `{ApiKeyAuthenticationHandler.SchemeName}`.");
                    response.Description = "No valid API key. The body is the same for a missing, malformed, unknown, disabled, " +
                        "revoked or expired key (no oracle) apart from `instance` and the per-request `traceId`.";
                    break;
                case "429" or "503":
                    response.Headers["Retry-After"] = Header("Seconds to wait before retrying.", JsonObjectType.Integer);
                    break;
                default:
                    break;
            }
        }

        if (operation.RequestBody is { } body && OpenApiExamples.Requests.TryGetValue(operation.OperationId, out var request))
        {
            foreach (var media in body.Content.Values)
            {
                media.Example = OpenApiExamples.Parse(request);
            }
        }

        return true;
    }

    private static void DocumentAsyncOperation(OpenApiOperation operation, OpenApiResponse accepted)
    {
        accepted.Description = "Accepted: the Proxmox task runs; follow the Operation at `Location` (`GET /api/v1/operations/{id}`).";
        accepted.Headers["Location"] = Header("`/api/v1/operations/{id}`: where to follow the Operation.");
        accepted.Headers["Preference-Applied"] = Header("`wait=N` when the request's `Prefer: wait=N` was honoured.");
        if (!operation.Responses.TryGetValue("200", out var finished))
        {
            finished = new OpenApiResponse
            {
                Description = "With `Prefer: wait=N`: the task finished within N seconds; the body is the finished Operation.",
            };
            foreach (var (type, media) in accepted.Content)
            {
                finished.Content[type] = new OpenApiMediaType { Schema = media.Schema };
            }

            operation.Responses["200"] = finished;
        }

        finished.Headers["Preference-Applied"] = Header("`wait=N` when the request's `Prefer: wait=N` was honoured.");
        AddHeaderParameter(operation, "Prefer",
            "`wait=N` (RFC 7240, N ≤ 120): wait up to N seconds for the Proxmox task, then answer 200 with the finished Operation, " +
            "or 202 when it is still running.",
            OperationConventionsProcessor.StringSchema("^wait=([0-9]|[1-9][0-9]|1[01][0-9]|120)$"));
    }

    private static OpenApiParameter AddHeaderParameter(OpenApiOperation operation, string name, string description, JsonSchema schema)
    {
        var existing = operation.Parameters.FirstOrDefault(p => p.Kind == OpenApiParameterKind.Header && p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (existing is not null)
        {
            return existing;
        }

        var parameter = new OpenApiParameter
        {
            Name = name,
            Kind = OpenApiParameterKind.Header,
            IsRequired = false,
            Description = description,
            Schema = schema,
        };
        operation.Parameters.Add(parameter);
        return parameter;
    }

    private static void AddProblem(OpenApiOperation operation, string status, JsonSchema problem)
    {
        if (!operation.Responses.ContainsKey(status))
        {
            var response = new OpenApiResponse { Description = DescribeStatus(status) };
            response.Content[ProblemJson] = new OpenApiMediaType { Schema = new JsonSchema { Reference = problem } };
            operation.Responses[status] = response;
        }
    }

    private static string DescribeUnavailable(bool proxmoxBacked, bool mutating)
    {
        var causes = new List<string>(3);
        if (proxmoxBacked)
        {
            causes.Add("Proxmox is unreachable (`proxmox_unavailable`)");
        }

        if (mutating)
        {
            causes.Add("the database cannot record the call (`database_unavailable`)");
        }

        causes.Add("the service is still starting (`service_unavailable`)");
        var text = causes.Count == 1 ? causes[0] : string.Join(", ", causes.Take(causes.Count - 1)) + ", or " + causes[^1];
        return "Temporarily unavailable; retry after `Retry-After`: " + text + ".";
    }

    private static OpenApiHeader Header(string description, JsonObjectType type = JsonObjectType.String) =>
        new() { Description = description, Schema = new JsonSchema { Type = type } };

    private static JsonSchema ProblemSchema(OperationProcessorContext context, string name) =>
        context.Document.Components.Schemas.TryGetValue(name, out var existing)
            ? existing
            : context.SchemaGenerator.Generate(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaResolver);

    private static string DescribeStatus(string status) => status switch
    {
        "200" => "OK.",
        "201" => "Created; `Location` names the new resource.",
        "204" => "Done; no body.",
        "400" => "The request is malformed or a field is invalid: `validation_failed` with `errors` keyed by JSON field path.",
        "401" => "No valid API key.",
        "403" => "The key lacks the scope this operation needs: `insufficient_scope` with `requiredScope`.",
        "404" => "Not found (or outside the key's resource restriction).",
        "409" => "Conflicts with the resource's current state.",
        "412" => "`If-Match` is stale: `precondition_failed`.",
        "422" => "Well-formed but not processable: `validation_failed` (Proxmox rejected a value) or `idempotency_key_reused`.",
        "429" => "Rate limited: `rate_limited`; see `Retry-After`.",
        "500" => "Unexpected error: `internal_error`; quote the `traceId`.",
        "502" => "Proxmox answered with an error: `proxmox_error`.",
        "504" => "Proxmox did not answer in time: `proxmox_timeout`.",
        _ => "See the body.",
    };
}
