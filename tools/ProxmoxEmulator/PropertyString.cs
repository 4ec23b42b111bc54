using System.Text;
using System.Text.Json;

namespace ProxmoxEmulator;

/// <summary>Parses and prints PVE property strings (<c>name=eth0,bridge=vmbr0</c>) like JSONSchema.pm.</summary>
internal static class PropertyString
{
    public static (Dictionary<string, string> Values, string? Error) Parse(string text, JsonElement format)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var defaultKey = DefaultKey(format);
        foreach (var part in text.Split(','))
        {
            if (part.Length == 0)
                continue;
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            string key;
            string value;
            if (eq < 0)
            {
                if (defaultKey is null)
                    return (values, "value without key, but schema does not define a default key");
                key = defaultKey;
                value = part;
            }
            else
            {
                key = part[..eq];
                value = part[(eq + 1)..];
            }
            if (!values.TryAdd(key, value))
                return (values, $"duplicate key in comma-separated list property: {key}");
        }
        return (values, null);
    }

    /// <summary>Parses without a schema; a bare value goes to <paramref name="defaultKey"/>.</summary>
    public static Dictionary<string, string> ParseLoose(string text, string? defaultKey)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
                values[defaultKey ?? part] = part;
            else
                values[part[..eq]] = part[(eq + 1)..];
        }
        return values;
    }

    /// <summary>Prints: default key (unnamed), then required keys, then the rest, each group sorted.</summary>
    public static string Print(IReadOnlyDictionary<string, string> values, JsonElement format)
    {
        var defaultKey = DefaultKey(format);
        var sb = new StringBuilder();
        if (defaultKey is not null && values.TryGetValue(defaultKey, out var dv))
            sb.Append(dv);
        var required = values.Keys.Where(k => k != defaultKey && format.TryGetProperty(k, out var s) && !SchemaValidator.IsOptional(s))
            .Order(StringComparer.Ordinal).ToList();
        var rest = values.Keys.Where(k => k != defaultKey && !required.Contains(k)).Order(StringComparer.Ordinal);
        foreach (var key in required.Concat(rest))
        {
            var value = values[key];
            if (format.TryGetProperty(key, out var s) && s.TryGetProperty("type", out var t) && t.GetString() == "boolean"
                && SchemaValidator.ParseBoolean(value) is { } b)
            {
                value = b ? "1" : "0";
            }
            if (sb.Length > 0)
                sb.Append(',');
            sb.Append(key).Append('=').Append(value);
        }
        return sb.ToString();
    }

    private static string? DefaultKey(JsonElement format)
    {
        foreach (var prop in format.EnumerateObject())
        {
            if (prop.Value.TryGetProperty("default_key", out var dk) && dk.ValueKind == JsonValueKind.Number && dk.GetInt32() != 0)
                return prop.Name;
        }
        return null;
    }
}
