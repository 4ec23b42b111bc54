using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

[TestFixture]
public sealed class ProxmoxTaskIdTests
{
    [Test]
    public void TryParse_TokenUser_SplitsAllParts()
    {
        var task = Parse("UPID:pve:000D7AA2:08D5A17C:63DF62A5:vzclone:200:root@pam!api_token:");

        Assert.Multiple(() =>
        {
            Assert.That(task.Node, Is.EqualTo("pve"));
            Assert.That(task.Pid, Is.EqualTo(0x000D7AA2));
            Assert.That(task.PStart, Is.EqualTo(0x08D5A17C));
            Assert.That(task.StartTime, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(0x63DF62A5)));
            Assert.That(task.Type, Is.EqualTo("vzclone"));
            Assert.That(task.Id, Is.EqualTo("200"));
            Assert.That(task.User, Is.EqualTo("root@pam!api_token"));
            Assert.That(task.Upid, Is.EqualTo("UPID:pve:000D7AA2:08D5A17C:63DF62A5:vzclone:200:root@pam!api_token:"));
        });
    }

    [Test]
    public void TryParse_PStartAboveInt32_ParsedAsLong()
    {
        var task = Parse("UPID:pve-node-2:0001E240:1FFFFFFFF:66F0A1B2:vzstart:101:root@pam:");

        Assert.That(task.PStart, Is.EqualTo(0x1FFFFFFFFL));
        Assert.That(task.PStart, Is.GreaterThan(int.MaxValue));
    }

    [Test]
    public void TryParse_EmptyId_Accepted()
    {
        var task = Parse("UPID:pve:0001E240:0001E240:66F0A1B2:vzdump::root@pam:");

        Assert.That(task.Id, Is.Empty);
    }

    [TestCase("")]
    [TestCase("UPID:pve:0001E240:0001E240:66F0A1B2:vzstart:101:root@pam")]
    [TestCase("UPID:pve:1E240:0001E240:66F0A1B2:vzstart:101:root@pam:")]
    [TestCase("UPID:-pve:0001E240:0001E240:66F0A1B2:vzstart:101:root@pam:")]
    [TestCase("UPID:pve:0001E240:0001E240:66F0A1B2:vz start:101:root@pam:")]
    [TestCase("not a upid")]
    public void TryParse_Malformed_ReturnsFalse(string value) =>
        Assert.That(ProxmoxTaskId.TryParse(value, out _), Is.False);

    private static ProxmoxTask Parse(string upid)
    {
        Assert.That(ProxmoxTaskId.TryParse(upid, out var task), Is.True, upid);
        return task!;
    }
}
