using Microsoft.AspNetCore.Mvc.Controllers;
using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace ProxmoxLxc.WebApi.OpenApi;

/// <summary>
/// Conventions every operation gets, so new controllers are documented without extra work:
/// <list type="bullet">
/// <item>operationId = the action's route name (<c>Name = "Containers_Start"</c>), else <c>{Controller}_{Action}</c>;</item>
/// <item>one tag (the <c>[Tags]</c> value, else the controller name); description = XML remarks, else the summary;</item>
/// <item>query parameter names in camelCase as the binder accepts them (<c>vmid</c> as in the contract);</item>
/// <item>a <see cref="ServerSentEventsAttribute"/> action's 200 response as <c>text/event-stream</c>, marked
/// <c>x-proxmoxlxc-client: hand-written</c> (client generators skip it: a request/response method cannot read a stream).</item>
/// </list>
/// </summary>
internal sealed class OperationConventionsProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var operation = context.OperationDescription.Operation;
        var action = (context as AspNetCoreOperationProcessorContext)?.ApiDescription.ActionDescriptor as ControllerActionDescriptor;
        var controller = action?.ControllerName ?? context.ControllerType.Name.Replace("Controller", string.Empty, StringComparison.Ordinal);
        operation.OperationId = action?.AttributeRouteInfo?.Name is { Length: > 0 } routeName
            ? routeName
            : $"{controller}_{action?.ActionName ?? context.MethodInfo.Name}";

        if (operation.Tags.Count == 0)
        {
            operation.Tags.Add(controller);
        }
        else if (operation.Tags.Count > 1)
        {
            var first = operation.Tags[0];
            operation.Tags.Clear();
            operation.Tags.Add(first);
        }

        if (context.MethodInfo.GetCustomAttributes(typeof(ServerSentEventsAttribute), inherit: true).Length > 0
            && operation.Responses.TryGetValue("200", out var stream))
        {
            var schema = stream.Content.Values.FirstOrDefault()?.Schema;
            stream.Content.Clear();
            stream.Content[ServerSentEventsAttribute.MediaType] = new OpenApiMediaType { Schema = schema };
            operation.ExtensionData ??= new Dictionary<string, object?>();
            operation.ExtensionData[ServerSentEventsAttribute.ClientExtension] = ServerSentEventsAttribute.HandWrittenClient;
        }

        if (string.IsNullOrWhiteSpace(operation.Summary))
        {
            operation.Summary = $"{context.MethodInfo.Name} ({controller})";
        }

        if (string.IsNullOrWhiteSpace(operation.Description))
        {
            operation.Description = operation.Summary;
        }

        foreach (var parameter in operation.Parameters.Where(p => p.Kind == OpenApiParameterKind.Query))
        {
            parameter.Name = parameter.Name.Equals("vmid", StringComparison.OrdinalIgnoreCase)
                ? "vmid"
                : char.ToLowerInvariant(parameter.Name[0]) + parameter.Name[1..];
            parameter.Description ??= DescribeQuery(parameter.Name);
        }

        foreach (var parameter in operation.Parameters.Where(p => p.Kind == OpenApiParameterKind.Header && p.Name == "Last-Event-ID"))
        {
            parameter.Description ??= "The last event id received (an `EventSource` sends it when it reconnects): replays the events after it first.";
        }

        foreach (var parameter in operation.Parameters.Where(p => p.Kind == OpenApiParameterKind.Path))
        {
            parameter.Description ??= parameter.Name switch
            {
                "vmid" => "The container id.",
                "id" => $"The {controller.TrimEnd('s').ToLowerInvariant()} id.",
                _ => null,
            };
        }

        return true;
    }

    private static string? DescribeQuery(string name) => name switch
    {
        "limit" => "Page size.",
        "cursor" => "The opaque `nextCursor` of the previous page.",
        "types" => "Comma-separated event types: `operation.started`, `operation.succeeded`, `operation.failed`, `container.state` (default: all).",
        "lastEventId" => "The last event id received (for clients that cannot send the `Last-Event-ID` header): replays the events after it first.",
        _ => null,
    };

    internal static JsonSchema StringSchema(string? pattern = null, int? maxLength = null) =>
        new() { Type = JsonObjectType.String, Pattern = pattern, MaxLength = maxLength };
}
