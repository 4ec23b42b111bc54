using System.Text.Json;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>One parameter of an operation (path, query or header) as the OpenAPI document declares it.</summary>
internal sealed record ApiParameter(string Name, string In, bool Required, JsonElement Schema);

/// <summary>One operation of the committed OpenAPI document.</summary>
internal sealed record ApiOperation(
    string Id,
    string Method,
    string PathTemplate,
    IReadOnlyList<ApiParameter> Parameters,
    JsonElement? BodySchema,
    JsonElement? BodyExample,
    bool BodyRequired);

/// <summary>The operations and schemas of <c>src/WebApi/openapi/v1.json</c>; <see cref="Resolve"/> follows <c>$ref</c> and single <c>oneOf</c>.</summary>
internal sealed class OpenApiModel
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];
    private readonly JsonElement _schemas;

    private OpenApiModel(JsonDocument document)
    {
        var root = document.RootElement;
        _schemas = root.GetProperty("components").GetProperty("schemas");
        var operations = new List<ApiOperation>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in Methods)
            {
                if (!path.Value.TryGetProperty(method, out var operation))
                {
                    continue;
                }

                var parameters = operation.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => new ApiParameter(
                        p.GetProperty("name").GetString()!,
                        p.GetProperty("in").GetString()!,
                        p.TryGetProperty("required", out var required) && required.GetBoolean(),
                        p.TryGetProperty("schema", out var schema) ? schema : default)).ToList()
                    : [];
                JsonElement? bodySchema = null;
                JsonElement? bodyExample = null;
                var bodyRequired = false;
                if (operation.TryGetProperty("requestBody", out var body)
                    && body.GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    bodySchema = json.GetProperty("schema");
                    bodyExample = json.TryGetProperty("example", out var example) ? example : null;
                    bodyRequired = body.TryGetProperty("required", out var r) && r.GetBoolean();
                }

                operations.Add(new ApiOperation(operation.GetProperty("operationId").GetString()!, method.ToUpperInvariant(), path.Name,
                    parameters, bodySchema, bodyExample, bodyRequired));
            }
        }

        Operations = operations;
    }

    public IReadOnlyList<ApiOperation> Operations { get; }

    public static OpenApiModel Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "openapi", "v1.json");
        return new OpenApiModel(JsonDocument.Parse(File.ReadAllBytes(path)));
    }

    /// <summary>The schema itself, or the one a <c>$ref</c> (or a <c>oneOf</c> of one <c>$ref</c>) names.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        while (true)
        {
            if (schema.ValueKind != JsonValueKind.Object)
            {
                return schema;
            }

            if (schema.TryGetProperty("$ref", out var reference))
            {
                schema = _schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
                continue;
            }

            if (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.GetArrayLength() == 1 && !schema.TryGetProperty("properties", out _))
            {
                schema = oneOf[0];
                continue;
            }

            return schema;
        }
    }

    public static string TypeOf(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type) ? type.GetString() ?? "object" : "object";

    public static bool IsNullable(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("nullable", out var n) && n.GetBoolean();
}
