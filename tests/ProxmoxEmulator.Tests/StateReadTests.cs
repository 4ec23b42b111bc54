namespace ProxmoxLxc.ProxmoxEmulator.Tests;

public class StateReadTests : EmulatorTestBase
{
    [Test]
    public void Read_RunsUnderTheStateLock()
    {
        var held = Server.State.Read(s => Monitor.IsEntered(s.Sync));
        Assert.Multiple(() =>
        {
            Assert.That(held, Is.True, "inside Read");
            Assert.That(Monitor.IsEntered(Server.State.Sync), Is.False, "released after Read");
        });
    }
}
