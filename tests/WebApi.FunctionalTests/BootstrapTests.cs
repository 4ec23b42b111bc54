using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests;

/// <summary>The first admin key (configured or generated and printed once) and the <c>keys create</c> verb.</summary>
[NonParallelizable]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public partial class BootstrapTests(DatabaseProvider provider)
{
    [GeneratedRegex(@"pxl_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}")]
    private static partial Regex KeyPattern();

    [Test]
    public async Task ConfiguredKey_OnEmptyDatabase_IsSeededAsAdminAndWorks()
    {
        await using var factory = new ApiFactory(new() { Database = TestDatabase.CreateEmpty(provider) });
        using var admin = factory.CreateAdminClient();

        using var response = await admin.GetAsync("/api/v1/keys");

        await using var db = factory.NewDbContext();
        var stored = await db.ApiKeys.AsNoTracking().SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(stored.Id, Is.EqualTo(factory.AdminKeyId));
            Assert.That(stored.Name, Is.EqualTo("bootstrap-admin"));
            Assert.That(stored.Scopes, Is.EqualTo(new[] { "admin" }));
            Assert.That(stored.CreatedBy, Is.EqualTo("bootstrap"));
            Assert.That(factory.Logs.AllText, Does.Not.Contain(factory.AdminKey![^43..]));
        });
    }

    [Test]
    public async Task NoConfiguredKey_GeneratesOneAndPrintsItOnlyOnce()
    {
        var database = TestDatabase.CreateEmpty(provider);
        string firstOutput;
        string printedKey;
        string firstLogs;
        using (var console = new ConsoleCapture())
        {
            await using var first = new ApiFactory(new() { Database = database, WithAdminKey = false });
            using var probe = first.CreateClient(null);
            firstOutput = console.Text;
            var printed = KeyPattern().Matches(firstOutput);
            Assert.That(printed, Has.Count.EqualTo(1), "the generated key is printed exactly once");
            printedKey = printed[0].Value;
            using var admin = first.CreateClient(printedKey);
            using var response = await admin.GetAsync("/api/v1/keys");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the printed key is a working admin key");
            firstLogs = first.Logs.AllText;
        }

        string secondOutput;
        await using (var second = new ApiFactory(new() { Database = database, WithAdminKey = false }))
        {
            using var console = new ConsoleCapture();
            using var admin = second.CreateClient(printedKey);
            using var response = await admin.GetAsync("/api/v1/keys");
            secondOutput = console.Text;
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the key survives a restart");
        }

        await using var db = database.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(KeyPattern().IsMatch(secondOutput), Is.False, "a restart prints no key");
            Assert.That(await db.ApiKeys.CountAsync(), Is.EqualTo(1));
            Assert.That(firstLogs, Does.Not.Contain(printedKey[^43..]), "the key goes to the console, never to the log pipeline");
        });
    }

    [TestCase("pxl_tooShort_abc")]
    [TestCase("not-a-key")]
    public void InvalidConfiguredKey_FailsStartup(string configured)
    {
        using var factory = new ApiFactory(new() { Database = TestDatabase.CreateEmpty(provider) });
        factory.Settings["Bootstrap:AdminKey"] = configured;

        var ex = Assert.Catch(() => factory.CreateClient(null).Dispose());

        Assert.That(ex!.ToString(), Does.Contain("Bootstrap:AdminKey"));
    }

    [Test]
    public async Task KeysCreateVerb_PrintsAWorkingKeyAndAuditsTheCall()
    {
        var database = TestDatabase.CreateEmpty(provider);

        var (exitCode, stdout, stderr) = await RunAppAsync(database, "keys", "create", "--name", "ci-bot", "--scopes", "containers:read,audit:read");

        Assert.That(exitCode, Is.Zero, stderr);
        var key = stdout.Trim();
        Assert.Multiple(() =>
        {
            Assert.That(key, Does.Match("^pxl_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$"), "stdout carries only the key");
            Assert.That(stderr, Does.Contain("ci-bot"));
        });

        await using var factory = new ApiFactory(new() { Database = database, WithAdminKey = false });
        using var client = factory.CreateClient(key);
        using var response = await client.GetAsync("/api/v1/operations?action=CreateApiKey");
        var body = await response.Content.ReadAsStringAsync();
        await using var db = factory.NewDbContext();
        var row = await db.OperationLogs.AsNoTracking().SingleAsync(o => o.Action == "CreateApiKey");
        var stored = await db.ApiKeys.AsNoTracking().SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(stored.Name, Is.EqualTo("ci-bot"));
            Assert.That(stored.Scopes, Is.EqualTo(new[] { "audit:read", "containers:read" }));
            Assert.That(stored.CreatedBy, Is.EqualTo("cli"));
            Assert.That(row.KeyId, Is.EqualTo("cli"));
            Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(row.Parameters, Does.Not.Contain(key[^43..]));
            Assert.That(body, Does.Contain("\"action\":\"CreateApiKey\""));
        });
    }

    [TestCase("keys", "delete")]
    [TestCase("keys", "create", "--name", "x", "--bogus", "y")]
    [TestCase("keys", "create", "--name", "x", "--scopes", "root")]
    public async Task KeysCreateVerb_BadArguments_ExitsWith2AndCreatesNothing(params string[] args)
    {
        var database = TestDatabase.CreateEmpty(provider);

        var (exitCode, stdout, stderr) = await RunAppAsync(database, args);

        // The verb may stop before migrating: then there is no key table, and so no key.
        var keys = 0;
        await using (var db = database.NewContext())
        {
            if ((await db.Database.GetAppliedMigrationsAsync()).Any())
            {
                keys = await db.ApiKeys.CountAsync();
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), stderr);
            Assert.That(stdout, Does.Not.Match("pxl_"));
            Assert.That(stderr, Is.Not.Empty);
            Assert.That(keys, Is.Zero);
        });
    }

    /// <summary>Runs the built service (its dll next to the tests) as a separate process, like an operator would.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAppAsync(TestDatabase database, params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.Root,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ProxmoxLxc.WebApi.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Database__Provider"] = database.Provider.ToString();
        start.Environment["ConnectionStrings__Default"] = database.ConnectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
