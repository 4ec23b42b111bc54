using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ProxmoxEmulator;

/// <summary>
/// The Proxmox VE emulator core: cluster state, auth, routes, tasks, faults and journal. Host-agnostic; serve it
/// with <see cref="ProxmoxEmulatorServer"/> or map it into any ASP.NET Core app with
/// <see cref="EmulatorEndpointExtensions.MapProxmoxEmulator"/>. <see cref="HandleAsync"/> serves
/// <c>/api2/json/...</c> and the control API <c>/_emulator/...</c>.
/// </summary>
public sealed partial class EmulatorEngine
{
    private const string ApiPrefix = "/api2/json";
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly byte[] _ticketKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _csrfKey = RandomNumberGenerator.GetBytes(32);
    private readonly List<EmulatorRoute> _routes;
    private int _nextPid = 0x000D7A00;

    /// <summary>Creates an engine; <paramref name="options"/> null or with empty lists uses the default seed.</summary>
    public EmulatorEngine(EmulatorOptions? options = null)
    {
        Options = options ?? new EmulatorOptions();
        if (Options.Nodes.Count == 0)
        {
            var seed = EmulatorOptions.DefaultSeed();
            Options.Nodes = seed.Nodes;
            if (Options.Containers.Count == 0)
                Options.Containers = seed.Containers;
            if (Options.Pools.Count == 0)
                Options.Pools = seed.Pools;
        }
        if (Options.Users.Count == 0 && Options.Tokens.Count == 0)
        {
            Options.Users = [new UserOptions()];
            Options.Tokens = [new TokenOptions()];
        }
        State = new ClusterState(Options.TimeProvider);
        Faults = new EmulatorFaults(Options);
        Journal = new RequestJournal(Options.JournalCapacity);
        Schema = ApiSchema.Embedded;
        _routes = BuildRoutes();
        Seed();
    }

    /// <summary>The options in use.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>Cluster state (inspect and mutate containers, locks, nodes, tasks).</summary>
    public ClusterState State { get; }

    /// <summary>Request journal and counters.</summary>
    public RequestJournal Journal { get; }

    /// <summary>Fault injection switches.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>The schema requests are validated against.</summary>
    public ApiSchema Schema { get; }

    /// <summary>Implemented routes with the parameters each reads.</summary>
    public IReadOnlyList<EmulatorRoute> Routes => _routes;

    /// <summary>Value for the <c>Authorization</c> header with the first configured token, or null.</summary>
    public string? DefaultTokenHeader => Options.Tokens.FirstOrDefault() is { } t ? $"PVEAPIToken={t.TokenId}={t.Secret}" : null;

    private DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    private long UnixNow => Now.ToUnixTimeSeconds();

    /// <summary>Handles one HTTP request (any path).</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/_emulator", StringComparison.Ordinal))
        {
            await HandleControlAsync(context, path);
            return;
        }
        if (!path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal) && path != ApiPrefix)
        {
            await WriteAsync(context, 404, "Not Found", null);
            return;
        }
        await HandleApiAsync(context, path[ApiPrefix.Length..]);
    }

    private async Task HandleApiAsync(HttpContext context, string apiPath)
    {
        var method = context.Request.Method.ToUpperInvariant();
        if (Faults.Down)
        {
            // Down = unreachable: the request never "reaches" the emulator, so it is not journaled.
            context.Abort();
            return;
        }
        var journal = new JournalBuilder { Method = method, Path = apiPath, Timestamp = Now };
        FaultRule? replyFault = null;
        Stream? wire = null;
        var journaled = false;
        // Journaled when the answer starts, before its first byte leaves: a client that has read the answer must find the
        // request in the journal (the finally block below runs only after the body was sent). Answers that never start
        // (dropped, aborted) are journaled there.
        context.Response.OnStarting(() =>
        {
            if (!journaled)
                journal.Status = context.Response.StatusCode;
            JournalOnce();
            return Task.CompletedTask;
        });
        try
        {
            foreach (var rule in Faults.Match(method, apiPath))
            {
                switch (rule.Kind)
                {
                    case FaultKind.Latency:
                        journal.Fault ??= "latency";
                        await Task.Delay(rule.Latency, context.RequestAborted);
                        break;
                    case FaultKind.Drop:
                        journal.Fault = "drop";
                        context.Abort();
                        return;
                    case FaultKind.Error:
                        journal.Fault = "error";
                        journal.Status = rule.Status;
                        var message = rule.Message ?? rule.Status switch
                        {
                            595 => "Connection refused",
                            596 => "Broken pipe",
                            597 => "Connection reset by peer",
                            _ => "emulated failure",
                        };
                        await WriteErrorAsync(context, rule.Status, message, null, emptyBody: rule.Status >= 595 || rule.Status == 401);
                        return;
                    case FaultKind.ReplyDelay or FaultKind.ReplyDrop:
                        replyFault ??= rule;
                        break;
                }
            }

            if (replyFault is not null)
            {
                // The work is done as usual; only its answer is held back (or never sent).
                wire = context.Response.Body;
                context.Response.Body = new MemoryStream();
            }

            var (status, fault) = await DispatchAsync(context, method, apiPath, journal);
            journal.Status = status;
            journal.Fault ??= fault;
            if (replyFault is not null && wire is not null)
            {
                var buffered = (MemoryStream)context.Response.Body;
                context.Response.Body = wire;
                // Journaled now: the work is done whether or not the answer ever leaves.
                journal.Fault = replyFault.Kind == FaultKind.ReplyDrop ? "reply-drop" : "reply-delay";
                JournalOnce();
                if (replyFault.Kind == FaultKind.ReplyDrop)
                {
                    context.Abort();
                    return;
                }

                await Task.Delay(replyFault.Latency, context.RequestAborted);
                buffered.Position = 0;
                await buffered.CopyToAsync(wire, context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            journal.Fault ??= "aborted";
        }
        finally
        {
            if (wire is not null && context.Response.Body != wire)
                context.Response.Body = wire;
            JournalOnce();
        }

        // Each request is journaled exactly once, by whichever of the three points above comes first.
        void JournalOnce()
        {
            if (journaled)
                return;
            Journal.Add(journal.Build());
            journaled = true;
        }
    }

    private async Task<(int Status, string? Fault)> DispatchAsync(HttpContext context, string method, string apiPath, JournalBuilder journal)
    {
        if (method == "HEAD")
            return await WriteErrorAsync(context, 501, "method 'HEAD' not available", null);

        if (method is not ("POST" or "PUT") && (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0))
            return await WriteErrorAsync(context, 501, $"Unexpected content for method '{method}'", null);

        var segments = apiPath.Split('/');
        segments = segments.Length > 0 && segments[0].Length == 0 ? segments[1..] : segments;
        EmulatorRoute? route = null;
        Dictionary<string, string>? pathValues = null;
        foreach (var r in _routes)
        {
            if (r.Method == method && r.TryMatch(segments, out var values))
            {
                route = r;
                pathValues = values;
                break;
            }
        }
        if (route is not null)
            journal.Route = route.Method + " " + route.PathTemplate;

        Dictionary<string, ParamValue> parameters;
        try
        {
            parameters = await ReadParametersAsync(context, method);
        }
        catch (JsonException)
        {
            return await WriteErrorAsync(context, 400, "malformed JSON body", null);
        }
        journal.Parameters = parameters.ToDictionary(p => p.Key, p => p.Key == "password" ? "***" : p.Value.Text, StringComparer.Ordinal);

        // Authentication (POST /access/ticket and GET /access/ticket need none).
        var schemaMethod = route is null ? null : Schema.Find(route.Method, route.PathTemplate);
        var (auth, user, authError) = Authenticate(context, method);
        journal.Auth = auth;
        journal.User = user;
        if (route is { Anonymous: true })
        {
            if (auth == AuthKind.Token && schemaMethod is { AllowToken: false })
                return await WriteErrorAsync(context, 403, $"Permission check failed (URI '{ApiPrefix}{apiPath}' not available with API token, need proper ticket.)", null);
        }
        else
        {
            if (authError is not null)
            {
                if (Options.AuthFailureDelay > TimeSpan.Zero)
                    await Task.Delay(Options.AuthFailureDelay, context.RequestAborted);
                return await WriteErrorAsync(context, 401, authError, null, emptyBody: true);
            }
            if (auth == AuthKind.Token && schemaMethod is { AllowToken: false })
                return await WriteErrorAsync(context, 403, $"Permission check failed (URI '{ApiPrefix}{apiPath}' not available with API token, need proper ticket.)", null);
        }

        if (route is null || pathValues is null)
            return await WriteErrorAsync(context, 501, $"Method '{method} {apiPath}' not implemented", null);

        foreach (var (name, value) in pathValues)
        {
            if (parameters.TryGetValue(name, out var existing) && existing.Text != value)
                return await WriteErrorAsync(context, 400, "duplicate parameter (already defined in URI) with conflicting values!", null);
            parameters[name] = new ParamValue(value);
        }

        if (schemaMethod is not null)
        {
            var errors = SchemaValidator.Validate(schemaMethod, parameters);
            journal.SchemaValid = errors.Count == 0;
            if (errors.Count > 0)
            {
                journal.SchemaErrors = errors;
                return await WriteErrorAsync(context, 400, "Parameter verification failed.", errors);
            }
        }

        var request = new ApiRequest(route, parameters, user ?? "", auth);
        JsonNode? data;
        try
        {
            lock (State.Sync)
            {
                if (pathValues.TryGetValue("node", out var node))
                    CheckNode(node);
                data = route.Handler(request);
            }
        }
        catch (PveException ex)
        {
            return await WriteErrorAsync(context, ex.Status, ex.Message, ex.Errors, emptyBody: ex.Status >= 595);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException or FormatException or OverflowException or NullReferenceException)
        {
            // A Perl "die" in PVE becomes a 500 with the message; keep emulator bugs visible the same way.
            return await WriteErrorAsync(context, 500, "emulator internal error: " + ex.Message, null);
        }

        var body = new JsonObject { ["data"] = Faults.StringNumbers ? Stringify(data, null) : data };
        if (request.Total is { } total)
            body["total"] = total;
        await WriteAsync(context, 200, "OK", body);
        return (200, null);
    }

    private void CheckNode(string node)
    {
        var n = State.FindNode(node) ?? throw new PveException(500, $"hostname lookup '{node}' failed - failed to get address info for: {node}: Name or service not known");
        if (!n.Online)
            throw new PveException(595, "No route to host");
    }

    private static async Task<Dictionary<string, ParamValue>> ReadParametersAsync(HttpContext context, string method)
    {
        var result = new Dictionary<string, ParamValue>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
            result[key] = new ParamValue(value.ToString());
        if (method is not ("POST" or "PUT"))
            return result;
        var contentType = context.Request.ContentType ?? "";
        if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var prop in doc.RootElement.EnumerateObject())
                {
                    switch (prop.Value.ValueKind)
                    {
                        case JsonValueKind.True:
                            result[prop.Name] = new ParamValue("1", IsJsonBool: true);
                            break;
                        case JsonValueKind.False:
                            result[prop.Name] = new ParamValue("0", IsJsonBool: true);
                            break;
                        case JsonValueKind.String:
                            result[prop.Name] = new ParamValue(prop.Value.GetString() ?? "");
                            break;
                        case JsonValueKind.Null:
                            break;
                        default:
                            result[prop.Name] = new ParamValue(prop.Value.GetRawText());
                            break;
                    }
                }
            }
        }
        else if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var (key, value) in form)
                result[key] = new ParamValue(value.ToString());
        }
        return result;
    }

    private static readonly HashSet<string> NumericKeys = new(StringComparer.Ordinal)
    {
        "vmid", "maxdisk", "disk", "maxmem", "mem", "maxswap", "swap", "netin", "netout", "diskread", "diskwrite",
        "uptime", "size", "used", "total", "avail", "maxcpu", "cpus", "cpulimit", "cores", "memory", "pid",
    };

    /// <summary>String-typed numbers mode: numeric values of well-known keys become JSON strings.</summary>
    private static JsonNode? Stringify(JsonNode? node, string? key)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                    obj[name] = Stringify(obj[name]?.DeepClone(), name);
                return obj;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                    arr[i] = Stringify(arr[i]?.DeepClone(), null);
                return arr;
            case JsonValue v when key is not null && NumericKeys.Contains(key) && v.GetValueKind() == JsonValueKind.Number:
                return JsonValue.Create(v.ToJsonString());
            default:
                return node;
        }
    }

    private static async Task<(int, string?)> WriteErrorAsync(HttpContext context, int status, string message, IReadOnlyDictionary<string, string>? errors, bool emptyBody = false)
    {
        var reason = message.Split('\n')[0];
        if (emptyBody)
        {
            await WriteAsync(context, status, reason, null);
            return (status, null);
        }
        var body = new JsonObject { ["data"] = null };
        if (errors is not null)
        {
            var e = new JsonObject();
            foreach (var (k, v) in errors)
                e[k] = v;
            body["errors"] = e;
        }
        body["message"] = message.EndsWith('\n') ? message : message + "\n";
        await WriteAsync(context, status, reason, body);
        return (status, null);
    }

    private static async Task WriteAsync(HttpContext context, int status, string reason, JsonObject? body)
    {
        context.Response.StatusCode = status;
        if (context.Features.Get<IHttpResponseFeature>() is { } feature)
            feature.ReasonPhrase = SanitizeReason(reason);
        context.Response.Headers.Server = "pve-api-daemon/3.0";
        if (body is null)
        {
            context.Response.ContentLength = 0;
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(JsonOptions));
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static string SanitizeReason(string reason)
    {
        var sb = new StringBuilder(reason.Length);
        foreach (var c in reason)
            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        return sb.ToString();
    }

    private sealed class JournalBuilder
    {
        public DateTimeOffset Timestamp { get; set; }

        public string Method { get; set; } = "";

        public string Path { get; set; } = "";

        public string? Route { get; set; }

        public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

        public AuthKind Auth { get; set; }

        public string? User { get; set; }

        public int Status { get; set; }

        public bool? SchemaValid { get; set; }

        public Dictionary<string, string>? SchemaErrors { get; set; }

        public string? Fault { get; set; }

        public JournalEntry Build() =>
            new(Timestamp, Method, Path, Route, Parameters, Auth, User, Status, SchemaValid, SchemaErrors, Fault);
    }

    private static string Hex8(long value) => value.ToString("X8", CultureInfo.InvariantCulture);
}
