using System.Globalization;
using System.Text.Json.Nodes;

namespace ProxmoxEmulator;

/// <summary>A parameter a route handler reads: name (indexed names as <c>net[n]</c>), JSON schema type, optional
/// named format and the enum values the handler understands.</summary>
/// <param name="Name">Schema parameter name.</param>
/// <param name="Type">string, integer, number or boolean.</param>
/// <param name="Format">Named format (<c>pve-vmid</c>) or <c>property-string</c>; null when none.</param>
/// <param name="EnumValues">Values the handler distinguishes (must be in the schema enum); null when free.</param>
public sealed record EmulatorRouteParameter(string Name, string Type, string? Format, IReadOnlyList<string>? EnumValues);

/// <summary>A route the emulator implements (method + path template from the schema) and the parameters it reads.</summary>
public sealed class EmulatorRoute
{
    private readonly string[] _segments;

    internal EmulatorRoute(string method, string pathTemplate, string[] parameters, Func<ApiRequest, JsonNode?> handler)
    {
        Method = method;
        PathTemplate = pathTemplate;
        Handler = handler;
        _segments = pathTemplate.Split('/', StringSplitOptions.RemoveEmptyEntries);
        Parameters = [.. parameters.Select(ParseParameter)];
    }

    /// <summary>HTTP method.</summary>
    public string Method { get; }

    /// <summary>Path template below <c>/api2/json</c>.</summary>
    public string PathTemplate { get; }

    /// <summary>Parameters the handler reads (path parameters included).</summary>
    public IReadOnlyList<EmulatorRouteParameter> Parameters { get; }

    /// <summary>Whether the route requires no authentication (ticket login).</summary>
    public bool Anonymous { get; init; }

    internal Func<ApiRequest, JsonNode?> Handler { get; }

    /// <summary><c>METHOD /path/template</c>.</summary>
    public override string ToString() => Method + " " + PathTemplate;

    internal bool TryMatch(string[] pathSegments, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (pathSegments.Length != _segments.Length)
            return false;
        for (var i = 0; i < _segments.Length; i++)
        {
            var seg = _segments[i];
            if (seg.StartsWith('{'))
            {
                if (pathSegments[i].Length == 0)
                    return false;
                values[seg[1..^1]] = Uri.UnescapeDataString(pathSegments[i]);
            }
            else if (seg != pathSegments[i])
            {
                return false;
            }
        }
        return true;
    }

    internal EmulatorRouteParameter? FindParameter(string name)
    {
        foreach (var p in Parameters)
        {
            if (p.Name == name)
                return p;
        }
        var m = SchemaValidator.IndexedNameRegex.Match(name);
        return m.Success ? Parameters.FirstOrDefault(p => p.Name == m.Groups[1].Value + "[n]") : null;
    }

    /// <summary>Declaration syntax: <c>name:type[@format][=a|b|c]</c>.</summary>
    private static EmulatorRouteParameter ParseParameter(string spec)
    {
        string[]? enumValues = null;
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            enumValues = spec[(eq + 1)..].Split('|');
            spec = spec[..eq];
        }
        string? format = null;
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            format = spec[(at + 1)..];
            spec = spec[..at];
        }
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? new EmulatorRouteParameter(spec, "string", format, enumValues)
            : new EmulatorRouteParameter(spec[..colon], spec[(colon + 1)..], format, enumValues);
    }
}

/// <summary>A Proxmox-style API error (status, message, optional per-parameter errors).</summary>
internal sealed class PveException : Exception
{
    public PveException(int status, string message, IReadOnlyDictionary<string, string>? errors = null)
        : base(message)
    {
        Status = status;
        Errors = errors;
    }

    public PveException()
    {
    }

    public PveException(string message)
        : base(message)
    {
    }

    public PveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Status { get; } = 500;

    public IReadOnlyDictionary<string, string>? Errors { get; }

    public static PveException Param(string name, string message) =>
        new(400, "Parameter verification failed.", new Dictionary<string, string>(StringComparer.Ordinal) { [name] = message });
}

/// <summary>The request as seen by a handler. Reading a parameter the route did not declare throws, which keeps
/// route declarations (checked against the schema by tests) complete.</summary>
internal sealed class ApiRequest
{
    public ApiRequest(EmulatorRoute route, Dictionary<string, ParamValue> parameters, string user, AuthKind auth)
    {
        Route = route;
        Params = parameters;
        User = user;
        Auth = auth;
    }

    public EmulatorRoute Route { get; }

    public Dictionary<string, ParamValue> Params { get; }

    public string User { get; }

    public AuthKind Auth { get; }

    /// <summary>Set by list handlers that report a <c>total</c> sibling of <c>data</c>.</summary>
    public int? Total { get; set; }

    public bool Has(string name)
    {
        Declared(name);
        return Params.ContainsKey(name);
    }

    public string? Str(string name)
    {
        Declared(name);
        return Params.TryGetValue(name, out var v) ? v.Text : null;
    }

    public string Required(string name) => Str(name) ?? throw PveException.Param(name, "property is missing and it is not optional");

    public long? Long(string name) => Str(name) is { } s ? long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;

    public int? Int(string name) => Str(name) is { } s ? int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;

    public bool Bool(string name, bool defaultValue = false) => Str(name) is { } s ? s == "1" : defaultValue;

    public string Node => Required("node");

    public int Vmid => Int("vmid") ?? throw PveException.Param("vmid", "property is missing and it is not optional");

    /// <summary>All provided parameters whose (indexed) declaration is in <paramref name="declaredNames"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> Matching(IReadOnlySet<string> declaredNames)
    {
        foreach (var (name, value) in Params)
        {
            var decl = Route.FindParameter(name);
            if (decl is not null && declaredNames.Contains(decl.Name))
                yield return new(name, value.Text);
        }
    }

    private void Declared(string name)
    {
        if (Route.FindParameter(name) is null)
            throw new InvalidOperationException($"Route {Route.Method} {Route.PathTemplate} reads undeclared parameter '{name}'.");
    }
}
