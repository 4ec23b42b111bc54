using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ProxmoxEmulator;

public sealed partial class EmulatorEngine
{
    /// <summary>
    /// Control API (no auth, not journaled):
    /// <c>GET /_emulator/info</c>; <c>GET|POST|DELETE /_emulator/faults</c>; <c>GET|DELETE /_emulator/journal</c>;
    /// <c>GET /_emulator/counts</c> (counters only, cheap to poll); <c>POST /_emulator/move</c> <c>{"vmid":101,"node":"pve1"}</c>.
    /// POST body: <c>{"kind":"latency|error|drop|reply-delay|reply-drop|down|up|task-error|task-warnings|lock-timeout|string-numbers",
    /// "path":"regex","method":"GET","status":500,"message":"...","latencyMs":200,"count":1,"probability":1,
    /// "taskType":"vzstart","warnings":2,"vmid":101,"enabled":true}</c>.
    /// </summary>
    private async Task HandleControlAsync(HttpContext context, string path)
    {
        var method = context.Request.Method.ToUpperInvariant();
        try
        {
            switch (path, method)
            {
                case ("/_emulator/info", "GET"):
                    await WriteAsync(context, 200, "OK", new JsonObject
                    {
                        ["data"] = new JsonObject
                        {
                            ["fingerprint"] = CertificateFingerprint,
                            ["tokenHeader"] = DefaultTokenHeader,
                            ["users"] = new JsonArray([.. Options.Users.Select(u => (JsonNode)new JsonObject { ["userid"] = u.UserId, ["password"] = u.Password })]),
                            ["tokens"] = new JsonArray([.. Options.Tokens.Select(t => (JsonNode)new JsonObject { ["tokenid"] = t.TokenId, ["secret"] = t.Secret })]),
                        },
                    });
                    return;
                case ("/_emulator/faults", "GET"):
                    await WriteAsync(context, 200, "OK", new JsonObject { ["data"] = FaultsJson() });
                    return;
                case ("/_emulator/faults", "DELETE"):
                    Faults.Clear();
                    await WriteAsync(context, 200, "OK", new JsonObject { ["data"] = null });
                    return;
                case ("/_emulator/faults", "POST"):
                    using (var doc = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted))
                        ApplyFault(doc.RootElement);
                    await WriteAsync(context, 200, "OK", new JsonObject { ["data"] = FaultsJson() });
                    return;
                case ("/_emulator/move", "POST"):
                    using (var doc = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted))
                        MoveContainer(doc.RootElement.GetProperty("vmid").GetInt32(), doc.RootElement.GetProperty("node").GetString() ?? throw new ArgumentException("node is required"));
                    await WriteAsync(context, 200, "OK", new JsonObject { ["data"] = null });
                    return;
                case ("/_emulator/counts", "GET"):
                    await WriteAsync(context, 200, "OK", new JsonObject { ["data"] = CountsJson() });
                    return;
                case ("/_emulator/journal", "GET"):
                    await WriteAsync(context, 200, "OK", new JsonObject { ["data"] = JournalJson() });
                    return;
                case ("/_emulator/journal", "DELETE"):
                    Journal.Reset();
                    await WriteAsync(context, 200, "OK", new JsonObject { ["data"] = null });
                    return;
                default:
                    await WriteAsync(context, 404, "Not Found", new JsonObject { ["data"] = null, ["message"] = "unknown control endpoint" });
                    return;
            }
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            await WriteAsync(context, 400, "Bad Request", new JsonObject { ["data"] = null, ["message"] = ex.Message });
        }
    }

    private void ApplyFault(JsonElement e)
    {
        string? S(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        int? I(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
        var kind = S("kind") ?? throw new ArgumentException("kind is required");
        var path = S("path");
        var method = S("method");
        var count = I("count");
        switch (kind)
        {
            case "latency":
                Faults.AddLatency(TimeSpan.FromMilliseconds(I("latencyMs") ?? 0), path, method, count);
                break;
            case "error":
                var probability = e.TryGetProperty("probability", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : 1.0;
                Faults.FailRequests(I("status") ?? 500, path, method, count, S("message"), probability);
                break;
            case "drop":
                Faults.DropConnections(path, method, count);
                break;
            case "reply-delay":
                Faults.DelayReplies(TimeSpan.FromMilliseconds(I("latencyMs") ?? 0), path, method, count);
                break;
            case "reply-drop":
                Faults.DropReplies(path, method, count);
                break;
            case "down":
                Faults.Down = true;
                break;
            case "up":
                Faults.Down = false;
                break;
            case "task-error":
                Faults.FailNextTask(S("taskType") ?? "*", S("message") ?? "emulated task failure", count ?? 1);
                break;
            case "task-warnings":
                Faults.WarnNextTask(S("taskType") ?? "*", I("warnings") ?? 2, count ?? 1);
                break;
            case "lock-timeout":
                Faults.LockTimeout(I("vmid"), count ?? 1);
                break;
            case "string-numbers":
                Faults.StringNumbers = !e.TryGetProperty("enabled", out var en) || en.ValueKind != JsonValueKind.False;
                break;
            default:
                throw new ArgumentException($"unknown fault kind '{kind}'");
        }
    }

    private JsonObject FaultsJson()
    {
        var rules = new JsonArray();
        foreach (var r in Faults.Rules)
        {
            rules.Add(new JsonObject
            {
                ["kind"] = r.Kind switch { FaultKind.ReplyDelay => "reply-delay", FaultKind.ReplyDrop => "reply-drop", var k => k.ToString().ToLowerInvariant() },
                ["path"] = r.PathPattern,
                ["method"] = r.Method,
                ["status"] = r.Status,
                ["message"] = r.Message,
                ["latencyMs"] = r.Latency.TotalMilliseconds,
                ["count"] = r.Count,
                ["probability"] = r.Probability,
            });
        }
        return new JsonObject { ["down"] = Faults.Down, ["stringNumbers"] = Faults.StringNumbers, ["rules"] = rules };
    }

    private JsonObject JournalJson()
    {
        var entries = new JsonArray();
        foreach (var e in Journal.Entries)
        {
            var parameters = new JsonObject();
            foreach (var (k, v) in e.Parameters)
                parameters[k] = v;
            entries.Add(new JsonObject
            {
                ["time"] = e.Timestamp.ToUnixTimeMilliseconds(),
                ["method"] = e.Method,
                ["path"] = e.Path,
                ["route"] = e.Route,
                ["params"] = parameters,
                ["auth"] = e.Auth.ToString().ToLowerInvariant(),
                ["user"] = e.User,
                ["status"] = e.Status,
                ["schemaValid"] = e.SchemaValid,
                ["fault"] = e.Fault,
            });
        }
        var json = CountsJson();
        json["entries"] = entries;
        return json;
    }

    private JsonObject CountsJson()
    {
        var counts = new JsonObject();
        foreach (var (k, v) in Journal.CountsByRoute)
            counts[k] = v;
        return new JsonObject { ["total"] = Journal.TotalCount, ["countsByRoute"] = counts };
    }
}
