using System.Globalization;
using CsCheck;
using Microsoft.AspNetCore.Mvc.Testing;
using ProxmoxEmulator;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>
/// Property-based fuzzing of every operation of the committed OpenAPI document against the service and the emulator
/// (see <see cref="FuzzProperties"/>). Seeded and sequential: the same seed gives the same requests from the same
/// state. <c>FUZZ_SEED</c> (a CsCheck PCG seed string) and <c>FUZZ_ITERATIONS</c> (default 1000)
/// override the defaults.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ApiFuzzTests
{
    /// <summary>The seed of the default run (any CsCheck seed string).</summary>
    private const string DefaultSeed = "1p0eHx7hDO11";

    private ProxmoxEmulatorServer _emulator = null!;
    private FuzzHost _host = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _emulator = await ProxmoxEmulatorServer.StartAsync(FuzzWorld.EmulatorOptions());
        _host = new FuzzHost(_emulator);
        _client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await _host.CreateActorKeysAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Test]
    public async Task EveryOperation_RandomAndBoundaryInput_NoServerErrorNoSmuggledProxmoxParameterNoForeignContainerNamed()
    {
        var seed = Environment.GetEnvironmentVariable("FUZZ_SEED") is { Length: > 0 } s ? s : DefaultSeed;
        var iterations = long.Parse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS") ?? "1000", CultureInfo.InvariantCulture);
        // FUZZ_SURVEY=1: run every case and list each distinct failure class instead of stopping at the first.
        var survey = Environment.GetEnvironmentVariable("FUZZ_SURVEY") == "1";
        var model = OpenApiModel.Load();
        var runner = new FuzzRunner(_host, _client);
        var actors = FuzzWorld.KeyActors.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var failures = new SortedDictionary<string, (int Count, string Example)>(StringComparer.Ordinal);
        var operationsSeen = new HashSet<string>(StringComparer.Ordinal);
        var reachedProxmoxWrites = 0;
        var containerWriteCases = 0;
        var containerWriteAnswers = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var cases = 0;

        await TestContext.Progress.WriteLineAsync($"Fuzzing {model.Operations.Count} operations, seed {seed}, {iterations} cases.");
        try
        {
            // One random sequence from the seed (CsCheck's own sampling takes the seed for its first case only): the same
            // seed gives the same cases, so a coverage figure or a failure repeats.
            var generator = new RequestGenerator(model).Case();
            var random = PCG.Parse(seed);
            for (var index = 0L; index < iterations; index++)
            {
                var fuzzCase = generator.Generate(random, null!, out _);
                var outcome = await runner.RunAsync(fuzzCase);
                cases++;
                operationsSeen.Add(fuzzCase.OperationId);
                if (fuzzCase.OperationId.StartsWith("Containers_", StringComparison.Ordinal) && fuzzCase.Method != "GET")
                {
                    containerWriteCases++;
                    var answer = $"{fuzzCase.OperationId} {outcome.Status} {ProblemCode(outcome)}";
                    containerWriteAnswers[answer] = containerWriteAnswers.GetValueOrDefault(answer) + 1;
                }

                if (outcome.Journal.Any(e => e.Method is "POST" or "PUT" or "DELETE" && e.Status == 200))
                {
                    reachedProxmoxWrites++;
                }

                var violations = FuzzProperties.Check(outcome, actors.GetValueOrDefault(fuzzCase.Actor));
                if (violations.Count == 0)
                {
                    continue;
                }

                var report = $"case {index} of seed {seed}: {fuzzCase}\n  -> {outcome}";
                foreach (var violation in violations)
                {
                    failures[violation.Class] = failures.TryGetValue(violation.Class, out var seen)
                        ? (seen.Count + 1, seen.Example)
                        : (1, $"{violation.Detail}\n  {report.Replace("\n", "\n  ", StringComparison.Ordinal)}");
                }

                if (!survey)
                {
                    break;
                }
            }
        }
        finally
        {
            await TestContext.Progress.WriteLineAsync(
                $"Fuzz: {cases} cases run ({containerWriteCases} of container-changing operations), {reachedProxmoxWrites} changed the emulator, {operationsSeen.Count}/{model.Operations.Count} operations; {failures.Count} failure classes.");
            if (Environment.GetEnvironmentVariable("FUZZ_STATS") == "1")
            {
                foreach (var (answer, count) in containerWriteAnswers)
                {
                    await TestContext.Progress.WriteLineAsync($"  {count,4} {answer}");
                }
            }

            foreach (var (failureClass, (count, example)) in failures)
            {
                await TestContext.Progress.WriteLineAsync($"--- {failureClass} (x{count})\n  {example}");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(failures.Keys, Is.Empty, "failure classes (FUZZ_SURVEY=1 run)");
            // A fuzz run that never gets past validation proves nothing: demand coverage.
            Assert.That(operationsSeen, Has.Count.EqualTo(model.Operations.Count), "every operation of the document was fuzzed");
            Assert.That(reachedProxmoxWrites, Is.GreaterThan(cases / 50), "a share of the cases changed the emulator's cluster");
        });
    }

    private static string ProblemCode(CaseOutcome outcome)
    {
        if (outcome.MediaType != "application/problem+json")
        {
            return "";
        }

        try
        {
            using var problem = System.Text.Json.JsonDocument.Parse(outcome.Body);
            return problem.RootElement.TryGetProperty("code", out var code) ? code.ToString() : "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }
}
