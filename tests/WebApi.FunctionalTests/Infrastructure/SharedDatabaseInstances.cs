using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProxmoxEmulator;
using ProxmoxLxc.Infrastructure.Leasing;
using ProxmoxLxc.Infrastructure.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// N in-process instances of the API on ONE database and ONE emulator (what a load balancer spreads requests over), the
/// same bootstrap admin key on all. Background scans run only at start-up (<c>Operations:ScanInterval</c> one hour):
/// tests drive later scans and lease renewals of an instance explicitly (<see cref="ScanAsync"/>,
/// <see cref="RenewAsync"/>) and move an instance's clock (<see cref="ApiFactory.Time"/>) to let other instances' leases
/// run out from its point of view. Emulator tasks given <see cref="TaskGate.Held"/> end on <see cref="TaskGate.Release"/>.
/// </summary>
public sealed class SharedDatabaseInstances : IAsyncDisposable
{
    /// <summary>The lease length every instance runs with.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private readonly List<ApiFactory> _instances = [];

    private SharedDatabaseInstances(ProxmoxEmulatorServer emulator, TestDatabase database, TaskGate gate)
    {
        Emulator = emulator;
        Database = database;
        Gate = gate;
    }

    public ProxmoxEmulatorServer Emulator { get; }

    public TestDatabase Database { get; }

    public TaskGate Gate { get; }

    public string AdminKey { get; } = ApiFactory.NewKeyString();

    public IReadOnlyList<ApiFactory> Instances => _instances;

    /// <summary>
    /// Starts the emulator (task types in <paramref name="heldTaskTypes"/> last until <see cref="TaskGate.Release"/>) and
    /// <paramref name="count"/> instances on a fresh database of <paramref name="provider"/>, one after the other;
    /// <paramref name="configure"/> (given each instance's index) adds test services before an instance starts.
    /// </summary>
    public static async Task<SharedDatabaseInstances> StartAsync(DatabaseProvider provider, int count, string[] heldTaskTypes,
        IReadOnlyDictionary<string, string?>? settings = null, Action<int, ApiFactory>? configure = null)
    {
        var gate = new TaskGate();
        var options = EmulatorOptions.DefaultSeed();
        options.DefaultTaskDuration = TimeSpan.FromMilliseconds(100);
        options.TimeProvider = gate;
        foreach (var type in heldTaskTypes)
        {
            options.TaskDurations[type] = TaskGate.Held;
        }

        var emulator = await ProxmoxEmulatorServer.StartAsync(options);
        var shared = new SharedDatabaseInstances(emulator, TestDatabase.Create(provider), gate);
        for (var i = 0; i < count; i++)
        {
            var instance = new ApiFactory(new() { Emulator = emulator, Database = shared.Database, AdminKey = shared.AdminKey });
            instance.Settings["Instance:Id"] = $"instance-{(char)('a' + i)}";
            instance.Settings["Operations:ScanInterval"] = "01:00:00";
            instance.Settings["Leases:Duration"] = LeaseDuration.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            instance.Settings["Leases:RenewInterval"] = "00:00:05";
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                instance.Settings[key] = value;
            }

            configure?.Invoke(i, instance);
            shared._instances.Add(instance);
            _ = instance.Services; // start it now (migrations and bootstrap run once, on the first)
        }

        return shared;
    }

    /// <summary>The lease owner an instance writes (its configured name plus its per-process suffix).</summary>
    public static string IdOf(ApiFactory instance) => instance.Services.GetRequiredService<InstanceIdentity>().Id;

    /// <summary>One scan of an instance's task follower (claim free rows, reconcile), as its timer would run it.</summary>
    public static Task ScanAsync(ApiFactory instance) => Follower(instance).ScanAsync(CancellationToken.None);

    /// <summary>One lease renewal of an instance, as its timer would run it.</summary>
    public static Task RenewAsync(ApiFactory instance) => Follower(instance).RenewAsync(CancellationToken.None);

    /// <summary>Waits until <paramref name="instance"/> follows the operation (a call's task is handed to the follower after the answer).</summary>
    public static async Task WaitUntilFollowingAsync(ApiFactory instance, long operationId)
    {
        var follower = Follower(instance);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!follower.IsFollowing(operationId))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"operation {operationId} is followed by its instance");
            await Task.Delay(10);
        }
    }

    /// <summary>The lease columns of an operation row as stored now.</summary>
    public async Task<(string? Owner, DateTimeOffset? Until)> LeaseOfAsync(long operationId)
    {
        await using var db = Database.NewContext();
        var lease = await db.OperationLogs.AsNoTracking().Where(o => o.Id == operationId)
            .Select(o => new { Owner = EF.Property<string?>(o, RowLeases.OwnerColumn), Until = EF.Property<DateTimeOffset?>(o, RowLeases.UntilColumn) })
            .SingleAsync();
        return (lease.Owner, lease.Until);
    }

    /// <summary>How many times any instance logged that it completed this operation.</summary>
    public int CompletionsLogged(long operationId) =>
        _instances.Sum(i => i.Logs.Messages.Count(m => m.Contains($": Operation {operationId} (", StringComparison.Ordinal) && m.Contains("; completed by instance ", StringComparison.Ordinal)));

    private static OperationTaskFollower Follower(ApiFactory instance) =>
        instance.Services.GetServices<IHostedService>().OfType<OperationTaskFollower>().Single();

    public async ValueTask DisposeAsync()
    {
        Gate.Release();
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await Emulator.DisposeAsync();
    }
}
