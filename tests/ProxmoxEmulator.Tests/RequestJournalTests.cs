using ProxmoxEmulator;

namespace ProxmoxLxc.ProxmoxEmulator.Tests;

[TestFixture]
public sealed class RequestJournalTests
{
    private static JournalEntry Entry(string path) =>
        new(DateTimeOffset.UtcNow, "GET", path, "GET /nodes/{node}/lxc/{vmid}/status/current", new Dictionary<string, string>(),
            AuthKind.Token, "root@pam!ci", 200, true, null, null);

    [Test]
    public void Add_BeyondCapacity_KeepsTheLatestEntriesAndCountsEveryRequest()
    {
        var journal = new RequestJournal(capacity: 3);

        for (var i = 0; i < 5; i++)
        {
            journal.Add(Entry($"/nodes/pve1/lxc/{100 + i}/status/current"));
        }

        Assert.Multiple(() =>
        {
            Assert.That(journal.Entries.Select(e => e.Path), Is.EqualTo(new[]
            {
                "/nodes/pve1/lxc/102/status/current", "/nodes/pve1/lxc/103/status/current", "/nodes/pve1/lxc/104/status/current",
            }));
            Assert.That(journal.TotalCount, Is.EqualTo(5));
            Assert.That(journal.CountsByRoute["GET /nodes/{node}/lxc/{vmid}/status/current"], Is.EqualTo(5));
            Assert.That(journal.Count("GET", "/nodes/{node}/lxc/{vmid}/status/current"), Is.EqualTo(3), "Count looks at the retained entries");
        });
    }

    [Test]
    public void Reset_AfterRequests_ClearsEntriesAndCounters()
    {
        var journal = new RequestJournal(capacity: 2);
        journal.Add(Entry("/nodes/pve1/lxc/100/status/current"));

        journal.Reset();

        Assert.Multiple(() =>
        {
            Assert.That(journal.Entries, Is.Empty);
            Assert.That(journal.TotalCount, Is.Zero);
            Assert.That(journal.CountsByRoute, Is.Empty);
        });
    }

    [Test]
    public void Constructor_DefaultCapacity_TenThousand()
    {
        Assert.That(new RequestJournal().Capacity, Is.EqualTo(10_000));
    }

    [Test]
    public void Engine_GeneratedContainers_SeededOnOnlineNodesBesideTheDefaultSeed()
    {
        var engine = new EmulatorEngine(new EmulatorOptions { GeneratedContainers = 5, GeneratedFirstVmid = 2000, JournalCapacity = 7 });

        Assert.Multiple(() =>
        {
            Assert.That(engine.State.Containers.Select(c => c.Vmid), Is.EqualTo(new[] { 100, 101, 102, 2000, 2001, 2002, 2003, 2004 }));
            Assert.That(engine.State.Containers.Where(c => c.Vmid >= 2000).Select(c => c.Node).Distinct(), Is.EquivalentTo(new[] { "pve1", "pve2" }));
            Assert.That(engine.Journal.Capacity, Is.EqualTo(7));
        });
    }

    [Test]
    public void MoveContainer_KnownNode_ContainerOnThatNode_UnknownNode_Throws()
    {
        var engine = new EmulatorEngine();

        engine.MoveContainer(101, "pve1");

        Assert.Multiple(() =>
        {
            Assert.That(engine.State.FindContainer(101)!.Node, Is.EqualTo("pve1"));
            Assert.Throws<KeyNotFoundException>(() => engine.MoveContainer(101, "nowhere"));
        });
    }
}
