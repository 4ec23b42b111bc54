using ProxmoxLxc.Client;
using ProxmoxLxc.EndToEnd.Tests.Support;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>
/// A running service maps only the database provider it is configured with, no Redis client when Redis is not
/// configured, no OpenAPI generator serializer until the document is asked for, and (on SQLite) no XML stack: each
/// unused one costs megabytes of every instance's memory (docs/benchmarks.md); and it runs the segments GC its runtime
/// config names. Checked on the process's memory map after start-up, a status read, a power action and its events.
/// </summary>
[TestFixtureSource(typeof(ServiceProcess), nameof(ServiceProcess.Providers))]
public sealed class LoadedAssembliesTests(string provider) : ServiceFixture(provider)
{
    private static readonly string[] PostgreSqlAssemblies = ["Npgsql.dll", "Npgsql.EntityFrameworkCore.PostgreSQL.dll"];
    private static readonly string[] SqlServerAssemblies = ["Microsoft.Data.SqlClient.dll", "Microsoft.EntityFrameworkCore.SqlServer.dll"];
    private static readonly string[] RedisAssemblies = ["StackExchange.Redis.dll"];

    /// <summary>
    /// ASP.NET Core Data Protection's XML key ring is not used by this service, so not loaded at start-up. (Npgsql's EF
    /// provider loads the XML stack itself for its type mappings: checked on SQLite only.)
    /// </summary>
    private static readonly string[] XmlAssemblies = ["System.Private.Xml.dll", "System.Private.Xml.Linq.dll"];

    /// <summary>The OpenAPI generator's serializer: set up on the first request for the document, not at start-up.</summary>
    private static readonly string[] DocumentGeneratorAssemblies = ["Newtonsoft.Json.dll", "NJsonSchema.NewtonsoftJson.dll"];

    private readonly bool _onPostgreSql = provider == ServiceProcess.PostgreSql;

    [Test]
    public async Task RunningService_MapsOnlyTheProviderInUseAndNoRedisClient()
    {
        Assume.That(OperatingSystem.IsLinux(), "reads /proc/<pid>/maps");
        var containers = Admin.Create<ContainersClient>();
        await containers.StatusAsync(102);
        await containers.StartAsync(102, prefer: "wait=10");
        await containers.StopAsync(102, prefer: "wait=10");

        var files = (await File.ReadAllLinesAsync($"/proc/{Service.ProcessId}/maps"))
            .Select(line => Path.GetFileName(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last()))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var mapped = files.Where(name => name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        string[] unused = _onPostgreSql
            ? [.. SqlServerAssemblies, .. RedisAssemblies, .. DocumentGeneratorAssemblies]
            : [.. PostgreSqlAssemblies, .. SqlServerAssemblies, .. RedisAssemblies, .. XmlAssemblies, .. DocumentGeneratorAssemblies];

        Assert.Multiple(() =>
        {
            Assert.That(mapped, Does.Contain("ProxmoxLxc.Infrastructure.dll"), "the map lists the service's assemblies");
            // The service's runtime config names the segments GC (System.GC.Name): the runtime loaded it.
            Assert.That(files, Does.Contain("libclrgc.so"), "the segments GC the runtime config names");
            Assert.That(mapped.Intersect(unused, StringComparer.OrdinalIgnoreCase), Is.Empty);
            if (_onPostgreSql)
            {
                Assert.That(mapped, Does.Contain("Npgsql.dll"));
            }
        });
    }
}
