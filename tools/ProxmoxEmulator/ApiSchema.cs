using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProxmoxEmulator;

/// <summary>
/// The Proxmox VE API schema (PVE 9.1, trimmed to the LXC subset) embedded in this assembly, with a parameter
/// validator that mimics pve-common <c>JSONSchema.pm</c> (same check order and message texts).
/// </summary>
public sealed class ApiSchema
{
    private static readonly Lazy<ApiSchema> EmbeddedInstance = new(LoadEmbedded);
    private readonly Dictionary<string, ApiSchemaMethod> _methods = new(StringComparer.Ordinal);

    private ApiSchema(JsonDocument document)
    {
        foreach (var path in document.RootElement.GetProperty("endpoints").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                var m = new ApiSchemaMethod(method.Name, path.Name, method.Value);
                _methods[Key(method.Name, path.Name)] = m;
            }
        }
    }

    /// <summary>The schema embedded in the emulator assembly.</summary>
    public static ApiSchema Embedded => EmbeddedInstance.Value;

    /// <summary>All (method, path template) pairs of the schema.</summary>
    public IEnumerable<ApiSchemaMethod> Methods => _methods.Values;

    /// <summary>Finds the schema entry for a method and a path template such as <c>/nodes/{node}/lxc</c>.</summary>
    public ApiSchemaMethod? Find(string method, string pathTemplate) =>
        _methods.GetValueOrDefault(Key(method, pathTemplate));

    /// <summary>Loads a schema file (same shape as <c>lxc-api-schema.json</c>).</summary>
    public static ApiSchema Load(Stream stream) => new(JsonDocument.Parse(stream));

    private static ApiSchema LoadEmbedded()
    {
        using var stream = typeof(ApiSchema).Assembly.GetManifestResourceStream("ProxmoxEmulator.lxc-api-schema.json")
            ?? throw new InvalidOperationException("Embedded schema resource missing.");
        return Load(stream);
    }

    private static string Key(string method, string path) => method.ToUpperInvariant() + " " + path;
}

/// <summary>One method of one path in the schema.</summary>
public sealed class ApiSchemaMethod
{
    internal ApiSchemaMethod(string method, string path, JsonElement element)
    {
        Method = method;
        Path = path;
        AllowToken = !element.TryGetProperty("allowtoken", out var at) || at.ValueKind != JsonValueKind.Number || at.GetInt32() != 0;
        var props = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (element.TryGetProperty("parameters", out var p))
        {
            if (p.TryGetProperty("properties", out var pp))
            {
                foreach (var prop in pp.EnumerateObject())
                    props[prop.Name] = prop.Value.Clone();
            }
            AdditionalProperties = p.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.Number && ap.GetInt32() != 0;
        }
        Properties = props;
    }

    /// <summary>HTTP method (GET, POST, PUT, DELETE).</summary>
    public string Method { get; }

    /// <summary>Path template, e.g. <c>/nodes/{node}/lxc/{vmid}</c>.</summary>
    public string Path { get; }

    /// <summary>False when the schema says <c>allowtoken: 0</c>.</summary>
    public bool AllowToken { get; }

    /// <summary>Whether unknown parameters are allowed.</summary>
    public bool AdditionalProperties { get; }

    /// <summary>Parameter schemas by name (indexed names such as <c>net[n]</c> kept as in the schema).</summary>
    public IReadOnlyDictionary<string, JsonElement> Properties { get; }

    /// <summary>Finds the schema of a concrete parameter name; <c>net0</c> resolves to <c>net[n]</c>.</summary>
    public bool TryGetProperty(string name, out JsonElement schema, out string schemaName)
    {
        if (Properties.TryGetValue(name, out schema))
        {
            schemaName = name;
            return true;
        }
        var m = IndexedName().Match(name);
        if (m.Success && Properties.TryGetValue(m.Groups[1].Value + "[n]", out schema))
        {
            schemaName = m.Groups[1].Value + "[n]";
            return true;
        }
        schemaName = name;
        return false;
    }

    private static Regex IndexedName() => SchemaValidator.IndexedNameRegex;
}

/// <summary>A parameter value as received: its text and whether it was a JSON boolean.</summary>
internal readonly record struct ParamValue(string Text, bool IsJsonBool = false);

/// <summary>Validates request parameters like pve-common JSONSchema.pm.</summary>
internal static partial class SchemaValidator
{
    internal static readonly Regex IndexedNameRegex = new(@"^([a-z]+)(\d+)$", RegexOptions.CultureInvariant);

    public static Dictionary<string, string> Validate(ApiSchemaMethod method, IReadOnlyDictionary<string, ParamValue> parameters)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            if (!method.TryGetProperty(name, out var schema, out _))
            {
                if (!method.AdditionalProperties)
                    AddError(errors, name, "property is not defined in schema and the schema does not allow additional properties");
                continue;
            }
            CheckProp(errors, name, value, schema, inPropertyString: false);
        }
        foreach (var (name, schema) in method.Properties)
        {
            if (IsOptional(schema) || name.EndsWith("[n]", StringComparison.Ordinal))
                continue;
            if (!parameters.ContainsKey(name))
                AddError(errors, name, "property is missing and it is not optional");
        }
        return errors;
    }

    internal static bool IsOptional(JsonElement schema) =>
        schema.TryGetProperty("optional", out var o) && o.ValueKind == JsonValueKind.Number && o.GetInt32() != 0;

    private static void AddError(Dictionary<string, string> errors, string path, string message)
    {
        errors[path] = errors.TryGetValue(path, out var existing) ? existing + "\n" + message : message;
    }

    /// <summary>Checks one value; order type, format, pattern, length, min/max, enum; stops at the first failure.</summary>
    private static void CheckProp(Dictionary<string, string> errors, string path, ParamValue value, JsonElement schema, bool inPropertyString)
    {
        var text = value.Text;
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() ?? "string" : "string";
        switch (type)
        {
            case "boolean":
                if (value.IsJsonBool)
                    break;
                if (inPropertyString ? ParseBoolean(text) is null : text is not ("0" or "1"))
                {
                    AddError(errors, path, $"type check ('boolean') failed - got '{text}'");
                    return;
                }
                break;
            case "integer":
                if (!IntegerRegex().IsMatch(text))
                {
                    AddError(errors, path, $"type check ('integer') failed - got '{text}'");
                    return;
                }
                break;
            case "number":
                if (!NumberRegex().IsMatch(text))
                {
                    AddError(errors, path, $"type check ('number') failed - got '{text}'");
                    return;
                }
                break;
        }

        if (schema.TryGetProperty("format", out var format))
        {
            if (format.ValueKind == JsonValueKind.Object)
            {
                if (!CheckPropertyString(errors, path, text, format))
                    return;
            }
            else if (format.GetString() is { } named && CheckNamedFormat(named, text) is { } formatError)
            {
                AddError(errors, path, "invalid format - " + formatError + "\n");
                return;
            }
        }

        if (schema.TryGetProperty("pattern", out var pattern) && pattern.GetString() is { } pat
            && !Regex.IsMatch(text, "^(?:" + ConvertPerlRegex(pat) + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            AddError(errors, path, "value does not match the regex pattern");
            return;
        }

        if (type == "string")
        {
            if (schema.TryGetProperty("maxLength", out var maxLen) && text.Length > GetNumber(maxLen))
            {
                AddError(errors, path, $"value may only be {GetNumber(maxLen).ToString(CultureInfo.InvariantCulture)} characters long");
                return;
            }
            if (schema.TryGetProperty("minLength", out var minLen) && text.Length < GetNumber(minLen))
            {
                AddError(errors, path, $"value must be at least {GetNumber(minLen).ToString(CultureInfo.InvariantCulture)} characters long");
                return;
            }
        }

        if (type is "integer" or "number" && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            if (schema.TryGetProperty("minimum", out var min) && number < GetNumber(min))
            {
                AddError(errors, path, $"value must have a minimum value of {RawNumber(min)}");
                return;
            }
            if (schema.TryGetProperty("maximum", out var max) && number > GetNumber(max))
            {
                AddError(errors, path, $"value must have a maximum value of {RawNumber(max)}");
                return;
            }
        }

        if (schema.TryGetProperty("enum", out var enumValues))
        {
            var values = enumValues.EnumerateArray().Select(e => e.ToString()).ToList();
            if (!values.Contains(text, StringComparer.Ordinal))
                AddError(errors, path, $"value '{text}' does not have a value in the enumeration '{string.Join(", ", values)}'");
        }
    }

    private static double GetNumber(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.Parse(e.GetString() ?? "0", CultureInfo.InvariantCulture);

    private static string RawNumber(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetRawText() : e.GetString() ?? "0";

    /// <summary>Validates a property string (<c>k=v,k2=v2</c>); errors go to <c>path</c> and <c>path.key</c>.</summary>
    private static bool CheckPropertyString(Dictionary<string, string> errors, string path, string text, JsonElement format)
    {
        var sub = new Dictionary<string, string>(StringComparer.Ordinal);
        var (values, parseError) = PropertyString.Parse(text, format);
        if (parseError is not null)
        {
            AddError(errors, path, "invalid format - " + parseError + "\n");
            return false;
        }
        foreach (var (key, v) in values)
        {
            if (!format.TryGetProperty(key, out var subSchema))
            {
                AddError(sub, path + "." + key, "property is not defined in schema and the schema does not allow additional properties");
                continue;
            }
            CheckProp(sub, path + "." + key, new ParamValue(v), subSchema, inPropertyString: true);
        }
        foreach (var prop in format.EnumerateObject())
        {
            if (!IsOptional(prop.Value) && !values.ContainsKey(prop.Name))
                AddError(sub, path + "." + prop.Name, "property is missing and it is not optional");
        }
        if (sub.Count == 0)
            return true;
        AddError(errors, path, "invalid format - format error\n");
        foreach (var (k, v) in sub)
            AddError(errors, k, v);
        return false;
    }

    /// <summary>Property-string booleans: 1|on|yes|true and 0|off|no|false, case-insensitive.</summary>
    internal static bool? ParseBoolean(string text) => text.ToUpperInvariant() switch
    {
        "1" or "ON" or "YES" or "TRUE" => true,
        "0" or "OFF" or "NO" or "FALSE" => false,
        _ => null,
    };

    /// <summary>Perl <c>(?^:...)</c> groups become plain non-capturing groups.</summary>
    internal static string ConvertPerlRegex(string pattern) => pattern.Replace("(?^:", "(?:", StringComparison.Ordinal);

    /// <summary>Returns the error text (without the <c>invalid format - </c> prefix) or null when valid.</summary>
    internal static string? CheckNamedFormat(string format, string value)
    {
        switch (format)
        {
            case "pve-vmid":
                return VmidRegex().IsMatch(value) ? null : "value does not look like a valid VM ID";
            case "pve-vmid-list":
                return value.Split([',', ';', ' ', '\0'], StringSplitOptions.RemoveEmptyEntries).All(VmidRegex().IsMatch) ? null : "value does not look like a valid VM ID";
            case "pve-node":
                return NodeRegex().IsMatch(value) ? null : "value does not look like a valid node name";
            case "pve-configid":
                return ConfigIdRegex().IsMatch(value) ? null : $"invalid configuration ID '{value}'";
            case "pve-configid-list":
                foreach (var id in value.Split([',', ';', ' ', '\0'], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!ConfigIdRegex().IsMatch(id))
                        return $"invalid configuration ID '{id}'";
                }
                return null;
            case "pve-storage-id":
                return StorageIdRegex().IsMatch(value) ? null : $"storage ID '{value}' contains illegal characters";
            case "dns-name":
                return DnsNameRegex().IsMatch(value) ? null : "value does not look like a valid DNS name";
            case "dns-name-list":
                return value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries).All(DnsNameRegex().IsMatch) ? null : "value does not look like a valid DNS name";
            case "pve-poolid":
                return PoolIdRegex().IsMatch(value) ? null : $"pool name '{value}' contains illegal characters";
            case "pve-tag-list":
                return value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } tags && tags.All(TagRegex().IsMatch)
                    ? null : $"invalid tag list '{value}'";
            case "pve-storage-content":
                return StorageContentTypes.Contains(value) ? null : $"invalid content type '{value}'";
            case "pve-storage-content-list":
                return value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(c => !StorageContentTypes.Contains(c)) is { } bad
                    ? $"invalid content type '{bad}'" : null;
            case "pve-volume-id":
                return VolumeIdRegex().IsMatch(value) ? null : $"unable to parse volume ID '{value}'";
            case "ipv4":
                return IPAddress.TryParse(value, out var a4) && a4.AddressFamily == AddressFamily.InterNetwork && value.Count(c => c == '.') == 3
                    ? null : "value does not look like a valid IPv4 address";
            case "ipv6":
                return IPAddress.TryParse(value, out var a6) && a6.AddressFamily == AddressFamily.InterNetworkV6
                    ? null : "value does not look like a valid IPv6 address";
            case "pve-ipv4-config":
                return value is "dhcp" or "manual" || IsCidr(value, AddressFamily.InterNetwork, 32)
                    ? null : "value does not look like a valid IPv4 network configuration";
            case "pve-ipv6-config":
                return value is "auto" or "dhcp" or "manual" || IsCidr(value, AddressFamily.InterNetworkV6, 128)
                    ? null : "value does not look like a valid IPv6 network configuration";
            case "mac-addr":
                return MacRegex().IsMatch(value) && (Convert.ToInt32(value[..2], 16) & 1) == 0
                    ? null : "value does not look like a valid unicast MAC address";
            case "disk-size":
                return DiskSizeRegex().IsMatch(value) ? null : "disk size '" + value + "' is not valid";
            default:
                return null;
        }
    }

    private static readonly HashSet<string> StorageContentTypes = new(StringComparer.Ordinal)
    {
        "images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import",
    };

    private static bool IsCidr(string value, AddressFamily family, int maxPrefix)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
            return false;
        return IPAddress.TryParse(value[..slash], out var ip) && ip.AddressFamily == family
            && int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix <= maxPrefix;
    }

    [GeneratedRegex(@"^-?\d+$")]
    private static partial Regex IntegerRegex();

    [GeneratedRegex(@"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex NumberRegex();

    [GeneratedRegex(@"^[1-9][0-9]{2,8}$")]
    private static partial Regex VmidRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?$")]
    private static partial Regex NodeRegex();

    [GeneratedRegex(@"^[a-z][a-z0-9_-]+$", RegexOptions.IgnoreCase)]
    private static partial Regex ConfigIdRegex();

    [GeneratedRegex(@"^[a-z][a-z0-9\-_.]*[a-z0-9]$", RegexOptions.IgnoreCase)]
    private static partial Regex StorageIdRegex();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?$")]
    private static partial Regex DnsNameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_\-/]+$")]
    private static partial Regex PoolIdRegex();

    [GeneratedRegex(@"^[a-z0-9_][a-z0-9_\-+.]*$", RegexOptions.IgnoreCase)]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"^[a-z][a-z0-9\-_.]*[a-z0-9]:.+$", RegexOptions.IgnoreCase)]
    private static partial Regex VolumeIdRegex();

    [GeneratedRegex(@"^[a-f0-9]{2}(:[a-f0-9]{2}){5}$", RegexOptions.IgnoreCase)]
    private static partial Regex MacRegex();

    [GeneratedRegex(@"^\d+(\.\d+)?[KMGT]?$")]
    private static partial Regex DiskSizeRegex();
}
