namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

internal static class TestPaths
{
    /// <summary>One folder per test run for the SQLite files; removed when the run ends.</summary>
    public static string Root { get; } = CreateRoot();

    private static string CreateRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "proxmoxlxc-functional-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return root;
    }
}

[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public void DeleteDatabases()
    {
        TestDatabase.DeleteAll();
        try
        {
            Directory.Delete(TestPaths.Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a host that failed to stop; the folder is in the temp directory.
        }
    }
}
