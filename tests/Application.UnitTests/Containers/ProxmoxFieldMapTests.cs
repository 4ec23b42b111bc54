using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Containers;

namespace ProxmoxLxc.Application.UnitTests.Containers;

[TestFixture]
public sealed class ProxmoxFieldMapTests
{
    [TestCase("memory", "memoryMiB")]
    [TestCase("swap", "swapMiB")]
    [TestCase("ssh-public-keys", "sshPublicKeys")]
    [TestCase("ostemplate", "template")]
    [TestCase("newid", "newVmid")]
    [TestCase("net2", "networks[2]")]
    [TestCase("mp1", "mountPoints[1]")]
    [TestCase("somethingelse", "somethingelse")]
    public void ToApiField_ProxmoxName_IsTheApiFieldPath(string proxmox, string api) =>
        Assert.That(ProxmoxFieldMap.ToApiField(proxmox), Is.EqualTo(api));

    [Test]
    public void ToApiField_NetworkIndexWithPositions_UsesTheListPosition() =>
        Assert.That(ProxmoxFieldMap.ToApiField("net5", n => n == 5 ? 1 : null), Is.EqualTo("networks[1]"));

    [Test]
    public void RekeyAsync_ProxmoxParameterError_Is422KeyedByApiFieldsWithMessagesKept()
    {
        var proxmoxError = new RequestValidationException(new Dictionary<string, string[]>
        {
            ["memory"] = ["value must have a minimum value of 16"],
            ["net0"] = ["invalid format - format error"],
        }, 422);

        var ex = Assert.ThrowsAsync<RequestValidationException>(() =>
            ProxmoxFieldMap.RekeyAsync(() => Task.FromException(proxmoxError)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(422));
            Assert.That(ex.Code, Is.EqualTo("validation_failed"));
            Assert.That(ex.Errors.Keys, Is.EquivalentTo(new[] { "memoryMiB", "networks[0]" }));
            Assert.That(ex.Errors["memoryMiB"], Is.EqualTo(new[] { "value must have a minimum value of 16" }));
        });
    }

    [Test]
    public void Rekey_TwoProxmoxNamesOnOneField_MessagesAreMerged()
    {
        var proxmoxError = new RequestValidationException(new Dictionary<string, string[]>
        {
            ["node"] = ["hostname lookup failed"],
            ["target"] = ["no such node"],
        }, 422);

        var rekeyed = ProxmoxFieldMap.Rekey(proxmoxError, _ => "node");

        Assert.That(rekeyed.Errors["node"], Is.EquivalentTo(new[] { "hostname lookup failed", "no such node" }));
    }
}
