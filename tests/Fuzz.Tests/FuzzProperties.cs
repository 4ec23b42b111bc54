using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>A broken property: <see cref="Class"/> groups equal failures (for the summary), <see cref="Detail"/> explains this one.</summary>
internal sealed record Violation(string Class, string Detail);

/// <summary>
/// The properties every case must keep:
/// (a) no 5xx (no fault is injected), and every 4xx is <c>application/problem+json</c> with a <c>code</c>;
/// (b) no request reaching Proxmox carries a line break, NUL or Unicode separator in a parameter (except a container
///     <c>description</c>; <c>ssh-public-keys</c> is one key per line), and property strings parse back into keys the
///     API may set, once each, with the values the client typed;
/// (c) no answer to a restricted key names a container outside its restriction (vmid, hostname, pool, or a node
///     outside its <c>allowedNodes</c>) unless the client itself sent that text. An operation record shows the request
///     as its caller sent it (<c>parameters</c>, not checked) and may repeat a value of it (the error of a clone to a
///     taken id names that id): a record of an action on a visible container is shown whole.
/// </summary>
internal static partial class FuzzProperties
{
    private static readonly System.Buffers.SearchValues<char> LineBreaks = System.Buffers.SearchValues.Create("\n\r\0\u2028\u2029\u0085");

    private static readonly HashSet<string> MultiLineDescriptionRoutes = new(StringComparer.Ordinal)
    {
        "POST /nodes/{node}/lxc",
        "PUT /nodes/{node}/lxc/{vmid}/config",
    };

    /// <summary>Keys the API's builders may write into each property string (default key: the unnamed volume).</summary>
    private static readonly (Regex Name, bool DefaultKey, string[] Keys)[] PropertyStrings =
    [
        (NetRegex(), false, ["name", "bridge", "firewall", "gw", "gw6", "hwaddr", "ip", "ip6", "link_down", "mtu", "rate", "tag", "type"]),
        (MountPointRegex(), true, ["mp", "backup", "ro", "size"]),
        (RootFsRegex(), true, ["size"]),
        (FeaturesRegex(), false, ["force_rw_sys", "fuse", "keyctl", "mknod", "mount", "nesting"]),
    ];

    /// <summary>API network fields and the <c>net[n]</c> keys they become.</summary>
    private static readonly (string Field, string Key)[] NetworkFields =
        [("name", "name"), ("bridge", "bridge"), ("ipv4", "ip"), ("gateway4", "gw"), ("ipv6", "ip6"), ("gateway6", "gw6"), ("macAddress", "hwaddr")];

    /// <summary>Key restriction lists in key metadata are not container data (the key's own or a managed key's).</summary>
    private static readonly HashSet<string> SkippedJsonProperties = new(StringComparer.Ordinal) { "allowedNodes", "allowedPools" };

    /// <summary>
    /// A string or number of an answer, whether it sits where a container id may appear, and the request of the operation
    /// record it belongs to (<c>parameters</c>, as its caller sent it; empty outside a record).
    /// </summary>
    private readonly record struct Leaf(string Text, bool NamesContainer, string Request = "");

    /// <summary>Headers whose value may name a container (a created resource's address).</summary>
    private static readonly HashSet<string> ContainerHeaders = new(StringComparer.OrdinalIgnoreCase) { "Location", "Content-Location" };

    /// <summary>
    /// JSON members whose value (and everything below it) may name a container by id: the id itself, addresses
    /// (<c>path</c>, <c>instance</c>), Proxmox task ids (a UPID carries the vmid), and free text (problem details,
    /// operation errors and warnings, validation messages, descriptions). Other members (<c>id</c>, <c>durationMs</c>,
    /// <c>httpStatus</c>, sizes, timestamps, request ids, cursors) are not checked for numeric tokens.
    /// </summary>
    private static readonly HashSet<string> ContainerMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "vmid", "vmids", "newVmid", "path", "instance", "taskId", "detail", "title", "message", "error", "errors", "warnings",
        "description", "hostname", "name",
    };

    public static List<Violation> Check(CaseOutcome outcome, Actor? actor)
    {
        var violations = new List<Violation>();
        CheckAnswer(outcome, violations);
        JsonDocument? input = null;
        try
        {
            input = outcome.Case.Body is { } body ? JsonDocument.Parse(body) : null;
        }
        catch (JsonException)
        {
            // Not JSON: nothing typed to compare with.
        }

        using (input)
        {
            foreach (var entry in outcome.Journal)
            {
                CheckProxmoxRequest(entry, input?.RootElement, violations);
            }
        }

        if (actor is { Restriction.IsRestricted: true })
        {
            CheckNoForeignContainer(outcome, actor.Restriction, violations);
        }

        return violations;
    }

    // ---- (a) ----

    private static void CheckAnswer(CaseOutcome outcome, List<Violation> violations)
    {
        if (outcome.Status >= 500)
        {
            // The class names an unusual Content-Type: charset failures and others then group apart.
            var contentType = outcome.Case.ContentType is null or "application/json" ? "" : $" with Content-Type '{FuzzCase.Escape(outcome.Case.ContentType, 60)}'";
            violations.Add(new Violation($"(a) {outcome.Status} on {outcome.Case.OperationId}{contentType}", $"server error {outcome}"));
            return;
        }

        if (outcome.Status < 400)
        {
            return;
        }

        if (outcome.MediaType != "application/problem+json")
        {
            violations.Add(new Violation($"(a) {outcome.Status} not problem+json on {outcome.Case.OperationId}", $"media type '{outcome.MediaType}': {outcome}"));
            return;
        }

        try
        {
            using var problem = JsonDocument.Parse(outcome.Body);
            if (problem.RootElement.ValueKind != JsonValueKind.Object
                || !problem.RootElement.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String || code.GetString()!.Length == 0)
            {
                violations.Add(new Violation($"(a) {outcome.Status} without code on {outcome.Case.OperationId}", outcome.ToString()));
            }
        }
        catch (JsonException)
        {
            violations.Add(new Violation($"(a) {outcome.Status} body not JSON on {outcome.Case.OperationId}", outcome.ToString()));
        }
    }

    // ---- (b) ----

    private static void CheckProxmoxRequest(ProxmoxEmulator.JournalEntry entry, JsonElement? input, List<Violation> violations)
    {
        var route = entry.Route ?? entry.Method + " " + entry.Path;
        foreach (var (name, value) in entry.Parameters)
        {
            var lines = name == "ssh-public-keys" ? value.Split('\n') : [value];
            var multiLineAllowed = name == "description" && MultiLineDescriptionRoutes.Contains(route);
            if (!multiLineAllowed && lines.Any(l => l.AsSpan().IndexOfAny(LineBreaks) >= 0))
            {
                violations.Add(new Violation($"(b) line break or NUL in '{name}' sent to {route}",
                    $"{route} {name}={FuzzCase.Escape(value, 300)}"));
            }

            CheckPropertyString(route, name, value, input, violations);
        }

        if (input is { ValueKind: JsonValueKind.Object } body && entry.Parameters.TryGetValue("tags", out var tags))
        {
            var sent = tags.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            var typed = StringValues(body, "tags").Select(t => t.ToHashSet(StringComparer.Ordinal)).ToList();
            if (typed.Count > 0 && !typed.Any(t => t.SetEquals(sent)))
            {
                violations.Add(new Violation($"(b) 'tags' sent to {route} differ from the typed tags", $"sent '{FuzzCase.Escape(tags, 300)}'"));
            }
        }
    }

    private static void CheckPropertyString(string route, string name, string value, JsonElement? input, List<Violation> violations)
    {
        var spec = PropertyStrings.FirstOrDefault(p => p.Name.IsMatch(name));
        if (spec.Name is null)
        {
            return;
        }

        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = value.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            string key;
            if (eq < 0)
            {
                if (!spec.DefaultKey || i > 0)
                {
                    violations.Add(new Violation($"(b) bare value in '{Indexless(name)}' sent to {route}", $"{name}={FuzzCase.Escape(value, 300)}"));
                    continue;
                }

                key = "volume";
                parsed[key] = part;
                continue;
            }

            key = part[..eq];
            if (!spec.Keys.Contains(key, StringComparer.Ordinal))
            {
                violations.Add(new Violation($"(b) key '{FuzzCase.Escape(key, 40)}' the API may not set in '{Indexless(name)}' sent to {route}",
                    $"{name}={FuzzCase.Escape(value, 300)}"));
            }

            if (!parsed.TryAdd(key, part[(eq + 1)..]))
            {
                violations.Add(new Violation($"(b) duplicate key '{key}' in '{Indexless(name)}' sent to {route}", $"{name}={FuzzCase.Escape(value, 300)}"));
            }
        }

        if (input is not { ValueKind: JsonValueKind.Object } body)
        {
            return;
        }

        if (NetRegex().Match(name) is { Success: true } net)
        {
            foreach (var typed in ListItemsAt(body, "networks", int.Parse(net.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
            {
                foreach (var (field, key) in NetworkFields)
                {
                    CompareTyped(typed, field, parsed, key, route, name, value, violations);
                }
            }
        }
        else if (MountPointRegex().Match(name) is { Success: true } mp)
        {
            foreach (var typed in ListItemsAt(body, "mountPoints", int.Parse(mp.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
            {
                CompareTyped(typed, "path", parsed, "mp", route, name, value, violations);
            }
        }
    }

    /// <summary>A typed string that reached Proxmox must arrive whole: a value cut at a separator means something was smuggled after it.</summary>
    private static void CompareTyped(JsonElement typed, string field, Dictionary<string, string> parsed, string key, string route, string name, string value,
        List<Violation> violations)
    {
        var candidates = typed.EnumerateObject().Where(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String)
            .Select(p => p.Value.GetString()!).ToList();
        if (candidates.Count == 0 || !parsed.TryGetValue(key, out var sent))
        {
            return;
        }

        if (!candidates.Any(c => string.Equals(c, sent, key == "hwaddr" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)))
        {
            violations.Add(new Violation($"(b) '{Indexless(name)}.{key}' sent to {route} differs from the typed '{field}'",
                $"typed {string.Join(" | ", candidates.Select(c => FuzzCase.Escape(c, 100)))}; sent {name}={FuzzCase.Escape(value, 300)}"));
        }
    }

    /// <summary>The items of <paramref name="list"/> whose <c>index</c> (default: position) is <paramref name="index"/>.</summary>
    private static IEnumerable<JsonElement> ListItemsAt(JsonElement body, string list, int index)
    {
        foreach (var property in body.EnumerateObject().Where(p => string.Equals(p.Name, list, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Array))
        {
            var position = 0;
            foreach (var item in property.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    var explicitIndex = item.EnumerateObject().Where(p => string.Equals(p.Name, "index", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Number)
                        .Select(p => p.Value.TryGetInt32(out var i) ? i : -1).ToList();
                    if (explicitIndex.Count == 0 ? position == index : explicitIndex.Contains(index))
                    {
                        yield return item;
                    }
                }

                position++;
            }
        }
    }

    private static IEnumerable<List<string>> StringValues(JsonElement body, string list) =>
        body.EnumerateObject().Where(p => string.Equals(p.Name, list, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Array)
            .Select(p => p.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList());

    private static string Indexless(string name) => IndexRegex().Replace(name, "N");

    // ---- (c) ----

    private static void CheckNoForeignContainer(CaseOutcome outcome, Restriction restriction, List<Violation> violations)
    {
        var supplied = outcome.Case.SuppliedText();
        // An address names a container only when it is a container's (an Operation's id may equal a foreign vmid).
        var texts = outcome.Headers.Select(h => new Leaf(h.Key + ": " + h.Value,
            ContainerHeaders.Contains(h.Key) && h.Value.Contains("/containers/", StringComparison.Ordinal))).ToList();
        texts.AddRange(outcome.MediaType == "text/event-stream" ? EventLeaves(outcome.Body) : Leaves(outcome.Body));
        foreach (var token in FuzzWorld.ForeignTokens(restriction))
        {
            var pattern = TokenPattern(token);
            if (pattern.IsMatch(supplied))
            {
                continue;
            }

            // A vmid is a number: only members that name containers can leak one (a durationMs, row id or httpStatus
            // equal to a foreign vmid is not a leak). Hostnames, pools and nodes are names: every string may leak them.
            var numeric = token.All(char.IsAsciiDigit);
            foreach (var leaf in texts.Where(l => (!numeric || l.NamesContainer) && pattern.IsMatch(l.Text) && !pattern.IsMatch(l.Request)))
            {
                violations.Add(new Violation($"(c) {outcome.Case.OperationId} {outcome.Status} names a foreign container's '{token}'",
                    $"in '{FuzzCase.Escape(leaf.Text, 300)}'"));
                break;
            }
        }
    }

    /// <summary>The leaves of an event stream: each event's <c>data</c> is JSON; ids, names and comments name nothing.</summary>
    private static IEnumerable<Leaf> EventLeaves(string stream) =>
        stream.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).SelectMany(line => Leaves(line[5..]));

    /// <summary>
    /// The string and number values of a JSON body (skipping key restriction lists and the request of an operation
    /// record), each marked whether it lies under a <see cref="ContainerMembers"/> member; a body that is not JSON is
    /// one leaf that may name anything.
    /// </summary>
    private static List<Leaf> Leaves(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var leaves = new List<Leaf>();
            Collect(document.RootElement, namesContainer: false, request: "", leaves);
            return leaves;
        }
        catch (JsonException)
        {
            return [new Leaf(body, true)];
        }

        static void Collect(JsonElement element, bool namesContainer, string request, List<Leaf> leaves)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    if (element.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
                    {
                        request = parameters.GetRawText();
                    }

                    foreach (var property in element.EnumerateObject().Where(p => !SkippedJsonProperties.Contains(p.Name) && p.Name != "parameters"))
                    {
                        Collect(property.Value, namesContainer || ContainerMembers.Contains(property.Name), request, leaves);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item, namesContainer, request, leaves);
                    }

                    break;
                case JsonValueKind.String:
                    leaves.Add(new Leaf(element.GetString()!, namesContainer, request));
                    break;
                case JsonValueKind.Number:
                    leaves.Add(new Leaf(element.GetRawText(), namesContainer, request));
                    break;
            }
        }
    }

    private static Regex TokenPattern(string token) =>
        new($"(?<![0-9A-Za-z_.]){Regex.Escape(token)}(?![0-9A-Za-z_]|\\.[0-9])", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^net(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex NetRegex();

    [GeneratedRegex(@"^mp(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex MountPointRegex();

    [GeneratedRegex(@"^rootfs$", RegexOptions.CultureInvariant)]
    private static partial Regex RootFsRegex();

    [GeneratedRegex(@"^features$", RegexOptions.CultureInvariant)]
    private static partial Regex FeaturesRegex();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex IndexRegex();
}
