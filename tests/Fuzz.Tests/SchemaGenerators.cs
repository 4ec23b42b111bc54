using System.Globalization;
using System.Text.Json;
using CsCheck;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>
/// CsCheck generators built from OpenAPI schemas: plausible values (the cluster's vocabulary, the document's examples,
/// typed values within range) and boundary/hostile ones (non-finite and huge numbers, control characters and
/// separators, very long strings, wrong JSON types, missing, duplicate and case-variant properties).
/// </summary>
internal sealed class SchemaGenerators(OpenApiModel model)
{
    private const int MaxDepth = 4;

    /// <summary>Strings that try to break out of a Proxmox property string, a config line or a header.</summary>
    private static readonly string[] HostileStrings =
    [
        "", " ", "\n", "\r\n", "\0", "\u2028", "\u2029", "\u0085", "\t", "\u001b[31m", ",", "=", ";", ":", "a,b=c",
        "vmbr0,firewall=1", "eth0,bridge=vmbr0,rate=999", "x\nmemory: 99999", "x\r\nlxc.apparmor.profile: unconfined", "x\0y",
        "../../etc/passwd", "%0A", "%00", "'\"<>&", "ü", "\U0001F4A5", "\uFFFF", "\uD800", new string('a', 300), new string('x', 10_000),
        "NaN", "Infinity", "-1", "0", "null", "true", "{}", "[]",
    ];

    /// <summary>What is appended to a valid value to smuggle another key or line in.</summary>
    private static readonly string[] Smugglers =
        [",rate=999", ",firewall=1", ",tag=7", "=x", ";evil", "\nmemory: 99999", "\r\nonboot: 1", "\0", "\u2028x", "\u2029", "\u0085", ",", " extra", "\tx"];

    private static readonly string[] IntegerTokens =
        ["0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e400", "-1e400", "1.5", "1e3", "-0", "00"];

    private static readonly string[] NumberTokens =
        ["0", "-0", "0.5", "-1", "1e400", "-1e400", "1e-400", "0.0000000000000000000001", "1.7976931348623157e308", "1e308",
         "123456789012345678901234567890", "79228162514264337593543950336", "4.9e-324"];

    private static readonly string[] NamedNumbers = ["NaN", "Infinity", "-Infinity", "nan", "12"];

    private static readonly string[] DateTokens =
        ["2030-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2030-01-01", "not-a-date", "2030-13-45T99:99:99Z", "1970-01-01T00:00:00+14:00"];

    private static readonly Gen<char> OddChar = Gen.Char["\0\n\r\t\u0001\u001f\u007f\u0085\u2028\u2029,=;:\"\\ /aZ09-_.ü\uFEFF"];

    public Gen<string> HostileString { get; } = Gen.Frequency(
        (4, Gen.OneOf(HostileStrings)),
        (2, Gen.String[OddChar, 0, 40]),
        (1, Gen.Int[1, 70_000].Select(n => new string('z', n))));

    /// <summary>A valid value with something appended that would start another key or line.</summary>
    public static Gen<string> Smuggled(string[] valid) =>
        valid.Length == 0 ? Gen.OneOf(Smugglers).Select(s => "v" + s) : Gen.Select(Gen.OneOf(valid), Gen.OneOf(Smugglers), (v, s) => v + s);

    /// <summary>A string for a path, query or header parameter.</summary>
    public Gen<string> ParameterValue(string name, JsonElement schema, int hostility)
    {
        schema = model.Resolve(schema);
        var type = OpenApiModel.TypeOf(schema);
        if (type == "array" && schema.TryGetProperty("items", out var items))
        {
            return ParameterValue(name, items, hostility);
        }

        var known = Vocabulary.StringsFor(name).Concat(Vocabulary.NumbersFor(name)).ToArray();
        Gen<string> plausible = known.Length > 0 ? Gen.OneOf(known) : type switch
        {
            "integer" or "number" => Gen.Int[0, 200].Select(i => i.ToString(CultureInfo.InvariantCulture)),
            "boolean" => Gen.OneOf("true", "false"),
            _ when IsDateTime(schema) => Gen.Const(DateTokens[0]),
            _ => Gen.String[Gen.Char.AlphaNumeric, 1, 12],
        };
        Gen<string> boundary = type switch
        {
            "integer" => Gen.Frequency((3, Gen.OneOf(IntegerTokens)), (2, Gen.Int[-5, 70_000].Select(i => i.ToString(CultureInfo.InvariantCulture))), (1, Gen.OneOf(NamedNumbers))),
            "number" => Gen.Frequency((3, Gen.OneOf(NumberTokens)), (1, Gen.OneOf(NamedNumbers))),
            "boolean" => Gen.OneOf("1", "0", "yes", "", "TRUE"),
            _ when IsDateTime(schema) => Gen.OneOf(DateTokens),
            _ => Gen.String[Gen.Char.AlphaNumeric, 1, 12],
        };
        return hostility == 0
            ? plausible
            : Gen.Frequency((100 - hostility, plausible), (hostility, boundary), (hostility, HostileString), (known.Length > 0 ? hostility : 0, Smuggled(known)));
    }

    /// <summary>
    /// A JSON value for <paramref name="schema"/>; <paramref name="example"/> is the document's example, if any, and
    /// <paramref name="hostility"/> the per cent of values (at every level) that are boundary, hostile, null or of a wrong type.
    /// </summary>
    public Gen<JsonText> Value(JsonElement schema, string name, JsonElement? example, int hostility, int depth = 0)
    {
        schema = model.Resolve(schema);
        var plausible = Plausible(schema, name, example, hostility, depth);
        if (hostility == 0)
        {
            return plausible;
        }

        var nullable = OpenApiModel.IsNullable(schema);
        return Gen.Frequency(
            (100 - hostility, plausible),
            (hostility * 3, Hostile(schema, name, hostility, depth)),
            (nullable ? hostility : 0, Gen.Const(JsonText.Null)),
            (hostility, WrongType(schema)));
    }

    /// <summary>A whole request body: mostly an object per the schema (often from the example), sometimes not JSON at all.</summary>
    public Gen<string> Body(JsonElement schema, JsonElement? example, int hostility) => Gen.Frequency(
        (40, Value(schema, "body", example, hostility).Select(v => v.ToString())),
        (hostility == 0 ? 0 : 1, Gen.OneOf("", "null", "[]", "{", "{}", "\"text\"", "{\"a\":", "[1,2", "\uFEFF{}", "{} {}", "{\"x\":1}garbage",
            new string('[', 5_000) + new string(']', 5_000), "{\"cores\":" + new string('9', 5_000) + "}")));

    private Gen<JsonText> Plausible(JsonElement schema, string name, JsonElement? example, int hostility, int depth)
    {
        var type = OpenApiModel.TypeOf(schema);
        switch (type)
        {
            case "object":
                return ObjectValue(schema, example, hostility, depth);
            case "array":
                var items = schema.TryGetProperty("items", out var i) ? i : default;
                var itemExample = example is { ValueKind: JsonValueKind.Array } e && e.GetArrayLength() > 0 ? e[0] : (JsonElement?)null;
                var item = depth >= MaxDepth ? Gen.Const(JsonText.Null) : Value(items, name, itemExample, hostility, depth + 1);
                return Gen.Frequency(
                    (12, item.List[0, 3].Select(list => (JsonText)new JsonArray(list))),
                    (hostility == 0 ? 0 : 1, item.List[40, 80].Select(list => (JsonText)new JsonArray(list))),
                    (hostility == 0 ? 0 : 1, Gen.Int[100, 700].Select(n => (JsonText)new JsonArray([.. Enumerable.Repeat(JsonText.String(name), n)]))));
            case "integer":
            case "number":
                var numbers = Vocabulary.NumbersFor(name);
                var typed = type == "integer"
                    ? Gen.Int[-10, 5_000].Select(n => JsonText.Raw(n.ToString(CultureInfo.InvariantCulture)))
                    : Gen.Double[-10, 5_000].Select(d => JsonText.Raw(d.ToString("R", CultureInfo.InvariantCulture)));
                return numbers.Length == 0 ? typed : Gen.Frequency((5, Gen.OneOf(numbers).Select(JsonText.Raw)), (1, typed));
            case "boolean":
                return Gen.Bool.Select(b => JsonText.Raw(b ? "true" : "false"));
            default:
                var strings = Vocabulary.StringsFor(name);
                if (strings.Length > 0)
                {
                    return Gen.OneOf(strings).Select(JsonText.String);
                }

                if (example is { ValueKind: JsonValueKind.String } s)
                {
                    return Gen.Const(JsonText.String(s.GetString()!));
                }

                return IsDateTime(schema) ? Gen.Const(JsonText.String(DateTokens[0])) : Gen.String[Gen.Char.AlphaNumeric, 1, 12].Select(JsonText.String);
        }
    }

    private Gen<JsonText> Hostile(JsonElement schema, string name, int hostility, int depth)
    {
        var type = OpenApiModel.TypeOf(schema);
        return type switch
        {
            "integer" => Gen.Frequency((3, Gen.OneOf(IntegerTokens).Select(JsonText.Raw)), (1, Gen.OneOf(NamedNumbers).Select(JsonText.String))),
            "number" => Gen.Frequency((3, Gen.OneOf(NumberTokens).Select(JsonText.Raw)), (1, Gen.OneOf(NamedNumbers).Select(JsonText.String))),
            "boolean" => Gen.OneOf("\"true\"", "1", "0", "\"yes\"", "null").Select(JsonText.Raw),
            "object" or "array" => Plausible(schema, name, null, hostility, Math.Max(depth, MaxDepth - 1)),
            _ when IsDateTime(schema) => Gen.OneOf(DateTokens).Select(JsonText.String),
            _ => Gen.Frequency((3, HostileString), (2, Smuggled(Vocabulary.StringsFor(name)))).Select(JsonText.String),
        };
    }

    private static Gen<JsonText> WrongType(JsonElement schema) => OpenApiModel.TypeOf(schema) switch
    {
        "string" => Gen.OneOf("1", "true", "[]", "{}", "[\"a\"]", "1e400").Select(JsonText.Raw),
        "array" => Gen.OneOf("\"a\"", "1", "{}", "[[1]]", "[null]", "[{}]").Select(JsonText.Raw),
        "object" => Gen.OneOf("\"a\"", "1", "[]", "true").Select(JsonText.Raw),
        _ => Gen.OneOf("\"abc\"", "[]", "{}", "\"\"", "true", "\" 1\"").Select(JsonText.Raw),
    };

    private Gen<JsonText> ObjectValue(JsonElement schema, JsonElement? example, int hostility, int depth)
    {
        if (!schema.TryGetProperty("properties", out var properties))
        {
            return Gen.Const<JsonText>(new JsonObject([]));
        }

        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToHashSet(StringComparer.Ordinal) : [];
        var exampleObject = example is { ValueKind: JsonValueKind.Object } ex ? ex : (JsonElement?)null;

        // Each property: absent, or a value (its example value is a plausible choice too).
        var memberGens = properties.EnumerateObject().Select(p =>
        {
            JsonElement? propertyExample = exampleObject is { } eo && eo.TryGetProperty(p.Name, out var pe) ? pe : null;
            var value = propertyExample is { } known
                ? Gen.Frequency((2, Gen.Const(JsonText.From(known))), (3, Value(p.Value, p.Name, propertyExample, hostility, depth + 1)))
                : Value(p.Value, p.Name, null, hostility, depth + 1);
            // Without hostility the example's properties are (nearly) always there: the request should pass validation.
            var presence = required.Contains(p.Name) ? 100 - (hostility / 3)
                : propertyExample is not null ? (hostility == 0 ? 97 : 75)
                : hostility == 0 ? 15 : 35;
            return Gen.Select(Gen.Int[0, 99], value, (roll, v) => roll < presence ? new JsonMember(p.Name, v) : null);
        }).ToList();
        var members = Sequence(memberGens).Select(list => list.OfType<JsonMember>().ToList());
        var names = properties.EnumerateObject().Select(p => p.Name).ToArray();
        var anyValue = Gen.OneOf(names).SelectMany(n => Value(properties.GetProperty(n), n, null, hostility, depth + 1).Select(v => new JsonMember(n, v)));
        var mutations = Gen.Frequency((100 - hostility, Gen.Const(new List<Action<List<JsonMember>>>())), (hostility, Mutation(names, anyValue).List[1, 2]));

        return Gen.Select(members, mutations, (list, mutations) =>
        {
            foreach (var mutate in mutations)
            {
                mutate(list);
            }

            return (JsonText)new JsonObject(list);
        });
    }

    /// <summary>Object-level mutations: duplicate, case-variant or unknown property; a (required) property dropped.</summary>
    private static Gen<Action<List<JsonMember>>> Mutation(string[] names, Gen<JsonMember> anyValue) => Gen.Frequency(
        (3, anyValue.Select<JsonMember, Action<List<JsonMember>>>(m => list => list.Add(m))),
        (2, Gen.OneOf(names).Select<string, Action<List<JsonMember>>>(n => list =>
        {
            var i = list.FindIndex(m => m.Name == n);
            if (i >= 0)
            {
                list[i] = list[i] with { Name = CaseVariant(n) };
            }
        })),
        (1, Gen.Int[0, 20].Select<int, Action<List<JsonMember>>>(k => list =>
        {
            if (list.Count > 0)
            {
                list.RemoveAt(k % list.Count);
            }
        })),
        (1, Gen.OneOf("unknownField", "__proto__", "$type", "").Select<string, Action<List<JsonMember>>>(n => list => list.Add(new JsonMember(n, JsonText.Raw("1"))))));

    private static string CaseVariant(string name) =>
        name.Length == 0 ? name : char.IsUpper(name[0]) ? char.ToLowerInvariant(name[0]) + name[1..] : name.ToUpperInvariant();

    private static bool IsDateTime(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) && f.GetString() == "date-time";

    /// <summary>One value of each generator, in order.</summary>
    public static Gen<List<T>> Sequence<T>(IReadOnlyList<Gen<T>> gens)
    {
        var result = Gen.Const(new List<T>());
        foreach (var gen in gens)
        {
            result = result.SelectMany(list => gen.Select(v => new List<T>(list) { v }));
        }

        return result;
    }
}
