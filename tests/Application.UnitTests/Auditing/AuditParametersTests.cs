using System.Text.Json;
using System.Text.Json.Nodes;
using ProxmoxLxc.Application.Common.Auditing;
using ProxmoxLxc.Application.Containers.Queries.GetContainerStatusBatch;

namespace ProxmoxLxc.Application.UnitTests.Auditing;

public class AuditParametersTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Plain(int VmId, string Name, IReadOnlyList<string> Tags, double Cores, decimal Size, Guid Id);

    private sealed record Dated(int VmId, DateTimeOffset At);

    private sealed record Holder(string Name, object Anything);

    private sealed record Inner(string Password);

    [Test]
    public void Serialize_MessageWithoutSensitiveMembers_SameTextAsTheRedactedTree()
    {
        var plain = new Plain(100, "web \"one\" <é> +1", ["a", "b"], 1.5, 2.25m, Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        var dated = new Dated(100, new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.FromHours(1)));

        Assert.Multiple(() =>
        {
            Assert.That(AuditParameters.Serialize(plain), Is.EqualTo(JsonSerializer.SerializeToNode(plain, Web)!.ToJsonString(Web)));
            Assert.That(AuditParameters.Serialize(dated), Is.EqualTo(JsonSerializer.SerializeToNode(dated, Web)!.ToJsonString(Web)));
        });
    }

    [Test]
    public void Serialize_SecretBehindAnObjectMember_IsStillRedacted()
    {
        var text = AuditParameters.Serialize(new Holder("web", new Inner("S3cr3t-Value")));

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("S3cr3t"));
            Assert.That(JsonNode.Parse(text)!["anything"]!["password"]!.GetValue<string>(), Is.EqualTo(AuditParameters.Redacted));
        });
    }

    [Test]
    public void Serialize_BatchStatusQuery_RecordsTheIdsAsAscendingRunsInOrder()
    {
        var consecutive = AuditParameters.Serialize(new GetContainerStatusBatchQuery(Enumerable.Range(1000, 500).ToArray()));
        var mixed = AuditParameters.Serialize(new GetContainerStatusBatchQuery([100, 101, 102, 999, 100, 5, 6]));

        Assert.Multiple(() =>
        {
            Assert.That(consecutive, Is.EqualTo("""{"vmIds":"1000-1499"}"""));
            Assert.That(mixed, Is.EqualTo("""{"vmIds":"100-102,999,100,5-6"}"""));
        });
    }
}
