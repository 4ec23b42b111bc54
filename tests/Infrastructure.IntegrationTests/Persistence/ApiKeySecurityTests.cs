using ProxmoxLxc.Infrastructure.Security;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

public class ApiKeySecurityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly ApiKeySecrets _secrets = new();

    [Test]
    public void Generate_NewKey_HasTheDocumentedShapeAndParses()
    {
        var generated = _secrets.Generate();

        Assert.Multiple(() =>
        {
            Assert.That(generated.Plaintext, Does.Match("^pxl_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$"));
            Assert.That(_secrets.TryParse(generated.Plaintext, out var id, out var secret), Is.True);
            Assert.That(id, Is.EqualTo(generated.KeyId));
            Assert.That(_secrets.Verify(secret, generated.SecretHash), Is.True);
            Assert.That(generated.SecretHash, Has.Length.EqualTo(32));
        });
    }

    [Test]
    public void Regenerate_SameId_GivesAnotherSecret()
    {
        var first = _secrets.Generate();

        var second = _secrets.Regenerate(first.KeyId);

        Assert.Multiple(() =>
        {
            Assert.That(second.KeyId, Is.EqualTo(first.KeyId));
            Assert.That(second.Plaintext, Is.Not.EqualTo(first.Plaintext));
            Assert.That(second.SecretHash, Is.Not.EqualTo(first.SecretHash));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("pxl_abcdefABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP")]
    [TestCase("pxl_abcdefABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR")]
    [TestCase("pxk_abcdefABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [TestCase("pxl_abcdefABCDEF-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [TestCase("pxl_abcdef-BCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [TestCase("pxl_abcdefABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP+")]
    [TestCase("pxl_abcdéfABCDEF_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    public void TryParse_MalformedKey_ReturnsFalse(string? plaintext)
    {
        Assert.That(_secrets.TryParse(plaintext, out _, out _), Is.False);
    }

    [Test]
    public void Verify_WrongSecret_ReturnsFalse()
    {
        var generated = _secrets.Generate();

        Assert.That(_secrets.Verify("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", generated.SecretHash), Is.False);
    }

    [Test]
    public void Touch_SameKeyTwice_KeepsTheLatestTime()
    {
        var tracker = new LastUsedTracker();

        tracker.Touch("a", Now.AddSeconds(5));
        tracker.Touch("a", Now);
        tracker.Touch("b", Now);

        Assert.Multiple(() =>
        {
            Assert.That(tracker.Drain(), Is.EquivalentTo(new[] { KeyValuePair.Create("a", Now.AddSeconds(5)), KeyValuePair.Create("b", Now) }));
            Assert.That(tracker.Drain(), Is.Empty);
        });
    }
}
