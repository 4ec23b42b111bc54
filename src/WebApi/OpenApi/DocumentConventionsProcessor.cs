using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Events;

namespace ProxmoxLxc.WebApi.OpenApi;

/// <summary>
/// Document-wide parts: info, server, tag descriptions, the <c>ProblemCode</c> enum and the problem schemas'
/// <c>code</c>/<c>traceId</c> members (ASP.NET Core's <c>ProblemDetails</c> keeps them in its extension data).
/// </summary>
internal sealed class DocumentConventionsProcessor : IDocumentProcessor
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Containers"] = "LXC containers: list, detail, live status and metrics, lifecycle, configuration, snapshots, clones.",
        ["Snapshots"] = "Container snapshots.",
        ["Templates"] = "Container templates available on the cluster's storages.",
        ["Nodes"] = "Cluster nodes and their load.",
        ["Operations"] = "The operation log: every call, and every Proxmox task it started (asynchronous work and the audit trail).",
        ["Keys"] = "API keys and their scopes and resource restrictions (scope `keys:admin`).",
        ["Webhooks"] = "Signed event deliveries to your endpoints (Standard Webhooks), owned by the key that registers them (scope `webhooks:admin`).",
    };

    public void Process(DocumentProcessorContext context)
    {
        var document = context.Document;
        document.Info.Contact = new OpenApiContact { Name = "ProxmoxLxc maintainers", Url = "https://github.com/proxmoxlxc/proxmoxlxc" };
        document.Info.Description =
            "Manage Proxmox VE LXC containers with narrow, audited API keys.\n\n" +
            "Authenticate every request with the `X-API-Key` header. Errors are `application/problem+json` (RFC 9457) with a stable " +
            "`code` (see the `ProblemCode` schema) and a `traceId` equal to the `X-Request-Id` response header. Mutating container calls " +
            "answer `202 Accepted` with an Operation and a `Location` to follow; send `Prefer: wait=N` to wait for the result.";
        document.Servers.Clear();
        document.Servers.Add(new OpenApiServer { Url = "/", Description = "This service (same origin as the document)." });

        var used = document.Operations.SelectMany(o => o.Operation.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        document.Tags.Clear();
        foreach (var tag in used)
        {
            document.Tags.Add(new OpenApiTag
            {
                Name = tag,
                Description = TagDescriptions.TryGetValue(tag, out var description) ? description : $"{tag}.",
            });
        }

        var schemas = document.Components.Schemas;
        OpenComposedSchemas(schemas.Values);
        var code = new JsonSchema
        {
            Type = JsonObjectType.String,
            Description = "A stable machine-readable error code:\n" + string.Join('\n',
                ErrorCodes.Catalog.Select(c => $"- `{c.Code}` ({c.Status}): {c.Meaning}")),
        };
        foreach (var (value, _, _) in ErrorCodes.Catalog)
        {
            code.Enumeration.Add(value);
        }

        schemas["ProblemCode"] = code;

        if (schemas.TryGetValue("ProblemDetails", out var problem))
        {
            problem.Description = "An RFC 9457 problem. `code` is stable; `traceId` equals the `X-Request-Id` response header " +
                "(absent from the constant 401 body). Other members may appear (e.g. `requiredScope` on 403).";
            problem.Properties["code"] = new JsonSchemaProperty { Reference = code };
            problem.Properties["traceId"] = new JsonSchemaProperty
            {
                Type = JsonObjectType.String,
                IsNullableRaw = true,
                Description = "The request's correlation id (the `X-Request-Id` response header); absent from the constant 401 body.",
            };
            problem.Properties["type"].Description = "`urn:proxmoxlxc:problem:{code}`.";
            problem.Properties["status"].Description = "The HTTP status code.";
            problem.RequiredProperties.Add("code");
        }

        // Scopes and event types stay plain strings in generated clients; the document names the values they take.
        DescribeValues(schemas, ["CreateApiKeyCommand", "UpdateApiKeyCommand", "ApiKeyDto"], "scopes",
            "Scopes: " + string.Join(", ", Scopes.All.Select(v => $"`{v}`")) + " (`admin` implies every other scope).");
        DescribeValues(schemas, ["CreateWebhookCommand", "UpdateWebhookCommand", "WebhookDto"], "events",
            "Event types: " + string.Join(", ", EventTypes.All.Select(v => $"`{v}`")) + ".");

        var visited = new HashSet<JsonSchema>();
        foreach (var schema in schemas.Values)
        {
            FixUntypedNullables(schema, visited);
        }

        if (schemas.TryGetValue("HttpValidationProblemDetails", out var validation))
        {
            validation.Description = "A validation problem (`validation_failed`): `errors` maps a JSON field path (e.g. `networks[0].ipv4`) to messages.";
        }
    }

    private static void DescribeValues(IDictionary<string, JsonSchema> schemas, string[] schemaNames, string property, string description)
    {
        foreach (var name in schemaNames)
        {
            if (schemas.TryGetValue(name, out var schema) && schema.Properties.TryGetValue(property, out var member))
            {
                member.Description = description;
            }
        }
    }

    /// <summary>
    /// Marks every non-nullable member required. OpenAPI 3.0 ignores <c>nullable</c> without <c>type</c> (validators reject it): a nullable reference
    /// (<c>nullable + oneOf [$ref]</c>) takes the referenced schema's type; an untyped "any value" drops <c>nullable</c>.
    /// </summary>
    private static void FixUntypedNullables(JsonSchema schema, HashSet<JsonSchema> visited)
    {
        if (!visited.Add(schema))
        {
            return;
        }

        if (schema.IsNullableRaw == true && schema.Type == JsonObjectType.None && schema.Reference is null)
        {
            var referenced = schema.OneOf.Concat(schema.AllOf).FirstOrDefault(s => s.Reference is not null)?.ActualSchema;
            if (referenced is not null && referenced.Type != JsonObjectType.None)
            {
                schema.Type = referenced.Type;
            }
            else
            {
                schema.IsNullableRaw = null;
            }
        }

        // The service always writes every member (no null-skipping), so every non-nullable member is required:
        // generated clients get non-nullable properties for them.
        foreach (var (name, property) in schema.Properties)
        {
            if (property.IsNullableRaw != true && !schema.RequiredProperties.Contains(name))
            {
                schema.RequiredProperties.Add(name);
            }
        }

        var children = schema.Properties.Values.Cast<JsonSchema>()
            .Concat(schema.AllOf).Concat(schema.OneOf).Concat(schema.AnyOf)
            .Concat(schema.Item is null ? [] : [schema.Item])
            .Concat(schema.AdditionalPropertiesSchema is null ? [] : [schema.AdditionalPropertiesSchema]);
        foreach (var child in children.Where(c => c.Reference is null))
        {
            FixUntypedNullables(child, visited);
        }
    }

    /// <summary>
    /// A schema composed with <c>allOf</c> (a message type deriving from a shared base, e.g. the batch actions) validates
    /// against every part at once, so <c>additionalProperties: false</c> on a part would refuse the other parts' members:
    /// such parts and their bases allow additional properties (the API still refuses unknown members with 400).
    /// </summary>
    private static void OpenComposedSchemas(IEnumerable<JsonSchema> schemas)
    {
        foreach (var schema in schemas.Where(s => s.AllOf.Count > 0))
        {
            schema.AllowAdditionalProperties = true;
            foreach (var part in schema.AllOf)
            {
                part.AllowAdditionalProperties = true;
                part.ActualSchema.AllowAdditionalProperties = true;
            }
        }
    }
}
