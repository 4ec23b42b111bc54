using System.Globalization;
using Mediator;
using ProxmoxLxc.Application.ApiKeys;
using ProxmoxLxc.Application.ApiKeys.Commands.CreateApiKey;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Infrastructure;

namespace ProxmoxLxc.WebApi.Cli;

/// <summary><c>keys create --name NAME --scopes a,b [--expires-at ISO8601] [--nodes a,b] [--pools a,b] [--vmid-range 100-199]</c>.</summary>
internal static class KeysCommandLine
{
    public static bool Handles(string[] args) => args.Length >= 1 && args[0] == "keys";

    public static async Task<int> RunAsync(WebApplication app, string[] args, TextWriter output, TextWriter error)
    {
        string? problem = null;
        if (args.Length < 2 || args[1] != "create" || !TryParseOptions(args[2..], out var options, out problem))
        {
            await error.WriteLineAsync(
                problem ?? "usage: keys create --name NAME --scopes a,b [--expires-at 2027-01-01T00:00:00Z] [--nodes n1,n2] [--pools p1,p2] [--vmid-range 100-199]");
            return 2;
        }

        await app.Services.MigrateDatabaseAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var recorder = scope.ServiceProvider.GetRequiredService<IOperationRecorder>();
        try
        {
            var created = await sender.Send(ToCommand(options));
            await output.WriteLineAsync(created.Key);
            await error.WriteLineAsync($"Created key {created.Metadata.Id} ('{created.Metadata.Name}') with scopes {string.Join(',', created.Metadata.Scopes)}.");
            return 0;
        }
        catch (RequestValidationException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                await error.WriteLineAsync($"{field}: {string.Join(' ', messages)}");
            }

            return 2;
        }
        finally
        {
            await recorder.EndAsync(CallEnd.Unanswered);
        }
    }

    private static CreateApiKeyCommand ToCommand(Dictionary<string, string> o)
    {
        static string[]? List(Dictionary<string, string> d, string k) =>
            d.TryGetValue(k, out var v) ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
        VmIdRangeDto? range = null;
        if (o.TryGetValue("vmid-range", out var r))
        {
            var parts = r.Split('-', 2);
            range = new VmIdRangeDto(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        return new CreateApiKeyCommand(
            o.GetValueOrDefault("name", string.Empty),
            List(o, "scopes") ?? [],
            o.TryGetValue("expires-at", out var e) ? DateTimeOffset.Parse(e, CultureInfo.InvariantCulture) : null,
            List(o, "nodes"),
            List(o, "pools"),
            range);
    }

    private static bool TryParseOptions(string[] args, out Dictionary<string, string> options, out string? problem)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = null;
        string[] known = ["name", "scopes", "expires-at", "nodes", "pools", "vmid-range"];
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is null || !known.Contains(name) || i + 1 >= args.Length)
            {
                problem = $"unexpected argument '{args[i]}'";
                return false;
            }

            options[name] = args[++i];
        }

        if (options.TryGetValue("vmid-range", out var r) &&
            (r.Split('-') is not [var a, var b] || !int.TryParse(a, CultureInfo.InvariantCulture, out _) || !int.TryParse(b, CultureInfo.InvariantCulture, out _)))
        {
            problem = "--vmid-range must look like 100-199";
            return false;
        }

        if (options.TryGetValue("expires-at", out var e) && !DateTimeOffset.TryParse(e, CultureInfo.InvariantCulture, out _))
        {
            problem = "--expires-at must be an ISO-8601 time";
            return false;
        }

        return true;
    }
}
