using System.Text;
using CsCheck;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>How the body's text becomes bytes.</summary>
internal enum BodyEncoding
{
    Utf8,
    Utf16,
    OddLength,
    InvalidUtf8,
}

/// <summary>
/// One generated request. <see cref="Url"/> may hold <see cref="VictimPlaceholder"/>, replaced by the id of a key made
/// for the case with <see cref="Victim"/>'s scopes and restriction (key-management verbs then act on a real key).
/// </summary>
internal sealed record FuzzCase(
    string OperationId,
    string Actor,
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    string? Body,
    BodyEncoding Encoding,
    Actor? Victim)
{
    public const string VictimPlaceholder = "VICTIM-KEY-ID";

    public byte[]? BodyBytes()
    {
        if (Body is null)
        {
            return null;
        }

        var bytes = Encoding switch
        {
            BodyEncoding.Utf16 => System.Text.Encoding.Unicode.GetBytes(Body),
            _ => System.Text.Encoding.UTF8.GetBytes(Body),
        };
        return Encoding switch
        {
            BodyEncoding.OddLength when bytes.Length % 2 == 0 => [.. bytes, (byte)'}'],
            BodyEncoding.InvalidUtf8 => [.. bytes, 0xC3, 0x28, 0xFF],
            _ => bytes,
        };
    }

    /// <summary>Every text the client supplied (what an answer may echo without leaking anything).</summary>
    public string SuppliedText() =>
        string.Join('\n', [Uri.UnescapeDataString(Url), .. Headers.Select(h => h.Value), ContentType ?? "", Body ?? ""]);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(OperationId).Append(" as ").Append(Actor).Append(": ").Append(Method).Append(' ').Append(Url);
        foreach (var (name, value) in Headers)
        {
            text.Append("\n  ").Append(name).Append(": ").Append(Escape(value, 200));
        }

        if (ContentType is not null)
        {
            text.Append("\n  Content-Type: ").Append(Escape(ContentType, 200));
        }

        if (Victim is not null)
        {
            text.Append("\n  target key: ").Append(Victim);
        }

        if (Body is not null)
        {
            text.Append("\n  body (").Append(Encoding).Append(", ").Append(Body.Length).Append(" chars): ").Append(Escape(Body, 2_000));
        }

        return text.ToString();
    }

    public static string Escape(string value, int max)
    {
        var text = new StringBuilder();
        foreach (var c in value.Length > max ? value[..max] : value)
        {
            text.Append(c is < ' ' or '\u007f' or '\u0085' or '\u2028' or '\u2029' or (>= '\ud800' and <= '\udfff') or '\uFEFF'
                ? $"\\u{(int)c:X4}"
                : c.ToString());
        }

        return value.Length > max ? text.Append($"…(+{value.Length - max})").ToString() : text.ToString();
    }
}

/// <summary>Generates <see cref="FuzzCase"/>s for every operation of the document.</summary>
internal sealed class RequestGenerator(OpenApiModel model)
{
    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "application/json; charset=",
        "application/json; charset=\"\"", "application/json; charset=latin1", "application/json; charset=bogus",
        "application/json; charset=utf-32", "text/plain", "application/xml", "application/x-www-form-urlencoded", "application/*",
        "application/json;;", "application/json; charset=utf-8; charset=utf-16",
    ];

    private readonly SchemaGenerators _values = new(model);

    /// <summary>
    /// A case of any operation, at one of three levels of hostility: every value plausible (to reach Proxmox with valid
    /// requests), a few hostile values in an otherwise valid request (to smuggle something through), or many.
    /// Operations with a body (the ones that write property strings) are drawn three times as often, and operations that
    /// change containers (the ones that reach Proxmox's write paths) twice as often again.
    /// </summary>
    public Gen<FuzzCase> Case() =>
        Gen.Select(Gen.Frequency([.. model.Operations.Select(o => (Weight(o), Gen.Const(o)))]), Gen.OneOf(0, 4, 25))
            .SelectMany((operation, hostility) => Case(operation, hostility));

    private static int Weight(ApiOperation operation) =>
        (operation.BodySchema is null ? 1 : 3) * (operation.Id.StartsWith("Containers_", StringComparison.Ordinal) && operation.Method != "GET" ? 2 : 1);

    private Gen<FuzzCase> Case(ApiOperation operation, int hostility)
    {
        var actor = Gen.Frequency(
            (12, Gen.Frequency([.. FuzzWorld.KeyActors.Select(a => (a.Scopes.Contains("admin") ? 4 : 1, Gen.Const(a.Name)))])),
            (hostility == 0 ? 0 : 1, Gen.OneOf([.. FuzzWorld.NoKeyActors])));
        var targetsKey = operation.PathTemplate.Contains("/keys/{id}", StringComparison.Ordinal);
        var pathValues = SchemaGenerators.Sequence(operation.Parameters.Where(p => p.In == "path").Select(p =>
        {
            var value = targetsKey && p.Name == "id"
                ? Gen.Frequency((5, Gen.Const(FuzzCase.VictimPlaceholder)), (1, _values.ParameterValue(p.Name, p.Schema, hostility)))
                : _values.ParameterValue(p.Name, p.Schema, hostility);
            return value.Select(v => KeyValuePair.Create(p.Name, v));
        }).ToList());
        var query = SchemaGenerators.Sequence(operation.Parameters.Where(p => p.In == "query").Select(p =>
            Gen.Select(Gen.Int[0, 99], _values.ParameterValue(p.Name, p.Schema, hostility).List[1, 3], (roll, values) =>
                roll < 45 ? values.Take(OpenApiModel.TypeOf(model.Resolve(p.Schema)) == "array" ? 3 : 1).Select(v => KeyValuePair.Create(p.Name, v)).ToList() : [])).ToList());
        var headers = SchemaGenerators.Sequence(operation.Parameters.Where(p => p.In == "header").Select(p =>
            Gen.Select(Gen.Int[0, 99], _values.ParameterValue(p.Name, p.Schema, hostility), (roll, v) => roll < 30 ? KeyValuePair.Create(p.Name, v) : default)).ToList());
        var body = operation.BodySchema is { } schema
            ? Gen.Frequency((12, _values.Body(schema, operation.BodyExample, hostility).Select(b => (string?)b)), (operation.BodyRequired ? hostility / 10 : 3, Gen.Const((string?)null)))
            : Gen.Frequency((12, Gen.Const((string?)null)), (hostility / 10, Gen.OneOf("{}", "x").Select(b => (string?)b)));
        var contentType = Gen.Frequency((40, Gen.Const("application/json")), (hostility, Gen.OneOf(ContentTypes)),
            (hostility / 4, _values.HostileString.Select(s => "application/json; charset=" + s)));
        var encoding = Gen.Frequency((50, Gen.Const(BodyEncoding.Utf8)), (hostility / 4, Gen.Const(BodyEncoding.Utf16)),
            (hostility / 2, Gen.Const(BodyEncoding.OddLength)), (hostility / 4, Gen.Const(BodyEncoding.InvalidUtf8)));
        var victim = targetsKey ? VictimKey().Select(v => (Actor?)v) : Gen.Const((Actor?)null);

        return Gen.Select(actor, pathValues, query, headers, body, contentType, encoding, victim, (who, path, q, h, b, ct, enc, target) =>
        {
            var url = operation.PathTemplate;
            foreach (var (name, value) in path)
            {
                // A NUL in the path never reaches the application (Kestrel refuses the request line; TestServer throws).
                url = url.Replace("{" + name + "}", Uri.EscapeDataString(value.Replace("\0", "", StringComparison.Ordinal)), StringComparison.Ordinal);
            }

            var pairs = q.SelectMany(x => x).ToList();
            if (pairs.Count > 0)
            {
                url += "?" + string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            }

            var sentHeaders = h.Where(x => x.Key is not null && IsSendableHeader(x.Value)).ToList();
            return new FuzzCase(operation.Id, who, operation.Method, url, sentHeaders, b is null ? null : IsSendableHeader(ct) ? ct : "application/json", b, enc,
                url.Contains(FuzzCase.VictimPlaceholder, StringComparison.Ordinal) ? target : null);
        });
    }

    /// <summary>A key for key-management verbs to act on: any scopes, restricted or not.</summary>
    private static Gen<Actor> VictimKey() =>
        Gen.Select(
            Gen.OneOf([.. FuzzWorld.AllScopes]).List[1, 3],
            Gen.OneOf(
                Restriction.None,
                new Restriction(["pve1"], [], null),
                new Restriction([], ["web"], null),
                new Restriction([], [], (100, 120)),
                new Restriction(["pve1"], ["web"], (100, 120))),
            (scopes, restriction) => new Actor("target", [.. scopes.Distinct(StringComparer.Ordinal)], restriction));

    /// <summary>HttpClient refuses CR/LF and other control characters in header values: such values cannot be sent at all.</summary>
    private static bool IsSendableHeader(string value) => value.All(c => c is >= ' ' and not '\u007f' and < '\u0080');
}
