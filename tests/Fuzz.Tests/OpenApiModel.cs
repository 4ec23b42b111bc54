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

/// <summary>
/// The operations and schemas of <c>src/WebApi/openapi/v1.json</c>; <see cref="Resolve"/> follows <c>$ref</c> and single
/// <c>oneOf</c>, and merges <c>allOf</c> (a derived command: the base's properties and its own).
/// </summary>
internal sealed class OpenApiModel
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];
    private readonly JsonElement _schemas;

    /// <summary>Merged <c>allOf</c> schemas by their text.</summary>
    private readonly Dictionary<string, JsonElement> _merged = new(StringComparer.Ordinal);

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

            return schema.TryGetProperty("allOf", out var allOf) ? Merge(schema, allOf) : schema;
        }
    }

    /// <summary>One object schema with the properties and required names of every part of an <c>allOf</c>.</summary>
    private JsonElement Merge(JsonElement schema, JsonElement allOf)
    {
        var text = schema.GetRawText();
        if (_merged.TryGetValue(text, out var merged))
        {
            return merged;
        }

        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var required = new List<string>();
        foreach (var part in allOf.EnumerateArray().Select(Resolve))
        {
            if (part.TryGetProperty("properties", out var own))
            {
                foreach (var property in own.EnumerateObject())
                {
                    properties[property.Name] = property.Value;
                }
            }

            if (part.TryGetProperty("required", out var names))
            {
                required.AddRange(names.EnumerateArray().Select(n => n.GetString()!));
            }
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "object");
            writer.WriteStartObject("properties");
            foreach (var (name, value) in properties)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("required");
            foreach (var name in required.Distinct(StringComparer.Ordinal))
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        merged = document.RootElement.Clone();
        _merged[text] = merged;
        return merged;
    }

    public static string TypeOf(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type) ? type.GetString() ?? "object" : "object";

    public static bool IsNullable(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("nullable", out var n) && n.GetBoolean();
}
