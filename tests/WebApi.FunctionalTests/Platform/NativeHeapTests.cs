using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;
using ProxmoxLxc.WebApi.Hosting;

namespace ProxmoxLxc.WebApi.FunctionalTests.Platform;

[TestFixture]
public sealed class NativeHeapTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Test]
    public void LimitArenas_OnGlibcWithoutAnOperatorSetting_SetsTheLimit()
    {
        var calls = 0;

        var result = NativeHeap.LimitArenas(NoEnvironment, linux: true, () => ++calls);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(NativeHeapLimit.Applied));
            Assert.That(calls, Is.EqualTo(1));
        });
    }

    [TestCase("MALLOC_ARENA_MAX", "8")]
    [TestCase("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0:glibc.malloc.arena_max=4")]
    public void LimitArenas_TheOperatorSetALimit_LeavesIt(string variable, string value)
    {
        var calls = 0;

        var result = NativeHeap.LimitArenas(name => name == variable ? value : null, linux: true, () => ++calls);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(NativeHeapLimit.SetByEnvironment));
            Assert.That(calls, Is.Zero);
        });
    }

    [Test]
    public void LimitArenas_OtherGlibcTunables_StillSetTheLimit()
    {
        var result = NativeHeap.LimitArenas(name => name == "GLIBC_TUNABLES" ? "glibc.malloc.tcache_count=0" : null, linux: true, () => 1);

        Assert.That(result, Is.EqualTo(NativeHeapLimit.Applied));
    }

    [Test]
    public void LimitArenas_NotLinuxOrACLibraryWithoutTheOption_DoesNothing()
    {
        var calls = 0;

        Assert.Multiple(() =>
        {
            Assert.That(NativeHeap.LimitArenas(NoEnvironment, linux: false, () => ++calls), Is.EqualTo(NativeHeapLimit.NotGlibc));
            Assert.That(calls, Is.Zero);
            Assert.That(NativeHeap.LimitArenas(NoEnvironment, linux: true, () => throw new EntryPointNotFoundException()), Is.EqualTo(NativeHeapLimit.NotGlibc));
            Assert.That(NativeHeap.LimitArenas(NoEnvironment, linux: true, () => throw new DllNotFoundException()), Is.EqualTo(NativeHeapLimit.NotGlibc));
            Assert.That(NativeHeap.LimitArenas(NoEnvironment, linux: true, () => 0), Is.EqualTo(NativeHeapLimit.NotGlibc));
        });
    }

    [Test]
    public void LimitArenas_OnThisMachine_IsTakenByGlibc()
    {
        // The machines this runs on (development, CI, the image) are Debian: glibc, and nobody sets the limit.
        Assert.That(Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX"), Is.Null);

        Assert.That(NativeHeap.LimitArenas(), Is.EqualTo(NativeHeapLimit.Applied));
    }

    [Test]
    [NonParallelizable]
    public void Trim_AFreeChunkBetweenLiveOnes_ItsPagesAreNoLongerResident()
    {
        // The test process limits glibc to two arenas (LimitArenas above), so every thread shares them: a thread of the
        // test host that mallocs between the free and the look afterwards can take the freed chunk and touch its pages
        // (one full run saw 20 pages still resident after the trim). A trim that works shows no resident page in an
        // attempt nobody disturbed; a trim that does nothing shows them in every attempt.
        const int attempts = 5;
        var seen = new List<string>();
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var (pages, residentAfterFree, released, residentAfterTrim) = FreeBetweenLiveChunksAndTrim();
            seen.Add($"{residentAfterFree}/{pages} resident after free, {residentAfterTrim} after trim (released: {released})");
            Assert.Multiple(() =>
            {
                Assert.That(pages, Is.GreaterThanOrEqualTo(25));
                Assert.That(residentAfterFree, Is.EqualTo(pages), "free() alone keeps the pages of a chunk between live ones");
                Assert.That(released, Is.True);
            });
            if (residentAfterTrim == 0)
            {
                return;
            }
        }

        Assert.Fail("the freed chunk's pages stayed resident after every trim: " + string.Join("; ", seen));
    }

    private static (int Pages, int ResidentAfterFree, bool Released, int ResidentAfterTrim) FreeBetweenLiveChunksAndTrim()
    {
        // 120 KiB stays under glibc's mmap threshold (128 KiB): the chunks come from an arena, and the live chunk after
        // the freed one keeps it from merging into the arena's top, which free() alone may give back.
        const int size = 120 * 1024;
        // Marshal.AllocHGlobal is malloc on Linux.
        var freed = Marshal.AllocHGlobal(size);
        var live = Marshal.AllocHGlobal(size);
        try
        {
            Marshal.Copy(Enumerable.Repeat((byte)0x5A, size).ToArray(), 0, freed, size);
            var (start, pages) = InnerPages(freed, size);
            Marshal.FreeHGlobal(freed);
            var residentAfterFree = ResidentPages(start, pages);
            var released = NativeHeap.Trim();
            return (pages, residentAfterFree, released, ResidentPages(start, pages));
        }
        finally
        {
            Marshal.FreeHGlobal(live);
        }
    }

    [Test]
    public async Task Trimmer_Running_TrimsEveryIntervalUntilStopped()
    {
        using var ticks = new SemaphoreSlim(0);
        var trims = 0;
        using var trimmer = new NativeHeapTrimmer(TimeSpan.FromMilliseconds(10), () =>
        {
            Interlocked.Increment(ref trims);
            ticks.Release();
            return true;
        }, TimeProvider.System);

        await trimmer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(await ticks.WaitAsync(TimeSpan.FromSeconds(30)), Is.True, $"trim {i + 1} did not come");
        }

        await trimmer.StopAsync(CancellationToken.None);
        var afterStop = Volatile.Read(ref trims);
        await Task.Delay(TimeSpan.FromMilliseconds(100));

        Assert.Multiple(() =>
        {
            Assert.That(afterStop, Is.GreaterThanOrEqualTo(3));
            Assert.That(Volatile.Read(ref trims), Is.EqualTo(afterStop), "no trim after the service stopped");
        });
    }

    [Test]
    public async Task Trimmer_CLibraryWithoutMallocTrim_StopsTrimmingAndLeavesTheHostRunning()
    {
        var trims = 0;
        using var trimmer = new NativeHeapTrimmer(TimeSpan.FromMilliseconds(10), () =>
        {
            Interlocked.Increment(ref trims);
            throw new EntryPointNotFoundException("malloc_trim");
        }, TimeProvider.System);

        await trimmer.StartAsync(CancellationToken.None);
        var ended = await Task.WhenAny(trimmer.ExecuteTask!, Task.Delay(TimeSpan.FromSeconds(30)));
        await trimmer.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(ended, Is.SameAs(trimmer.ExecuteTask), "the trimmer ended by itself");
            Assert.That(trimmer.ExecuteTask!.Status, Is.EqualTo(TaskStatus.RanToCompletion), "without an exception a host would stop for");
            Assert.That(trims, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Service_OnThisMachine_RegistersTheTrimmerAtTenSeconds()
    {
        await using var factory = new ApiFactory();
        using var client = factory.CreateClient();

        var trimmers = factory.Services.GetServices<IHostedService>().OfType<NativeHeapTrimmer>().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(trimmers, Has.Count.EqualTo(1));
            Assert.That(NativeHeapTrimmer.Interval, Is.EqualTo(TimeSpan.FromSeconds(10)));
        });
    }

    /// <summary>The whole pages inside the block, leaving out the first and last (the chunk's headers live there).</summary>
    private static (nint Start, int Pages) InnerPages(nint block, int size)
    {
        var page = Environment.SystemPageSize;
        var start = (block + (2 * page) - 1) & ~(nint)(page - 1);
        var end = (block + size - page) & ~(nint)(page - 1);
        return (start, (int)((end - start) / page));
    }

    private static int ResidentPages(nint start, int pages)
    {
        var vector = new byte[pages];
        Assert.That(Mincore(start, (nuint)(pages * Environment.SystemPageSize), vector), Is.Zero, "mincore");
        return vector.Count(v => (v & 1) != 0);
    }

    [DllImport("libc", EntryPoint = "mincore", ExactSpelling = true, SetLastError = true)]
    private static extern int Mincore(nint address, nuint length, byte[] vector);
}
