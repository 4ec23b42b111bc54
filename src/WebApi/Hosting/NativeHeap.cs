using System.Runtime.InteropServices;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// The process's native heap (glibc's malloc), which the runtime, the JIT, OpenSSL and SQLite allocate from, kept
/// close to what is in use:
/// <list type="bullet">
/// <item><see cref="LimitArenas()"/>: no arena beyond the <see cref="Arenas"/> glibc allows. By default glibc gives
/// each thread that allocates natively an arena of its own, up to eight per core: after the benchmark the service had
/// 15 arenas on two cores, holding 30 MiB, each keeping the pages its threads had freed. The runtime's own threads
/// create their arenas before <c>Main</c> (6 here), and those stay; every later thread shares them.</item>
/// <item><see cref="Trim"/> (every <see cref="NativeHeapTrimmer.Interval"/>): glibc gives freed memory back only from
/// the top of an arena, so the free chunks between live ones stay resident; <c>malloc_trim</c> releases their pages.
/// jemalloc and tcmalloc do the same by themselves, on a timer.</item>
/// </list>
/// Together: native heap 30 -> 16-18 MiB after the benchmark (docs/benchmarks.md); <c>MALLOC_ARENA_MAX=2</c> set in
/// the environment on top measured the same.
/// </summary>
/// <remarks>
/// <see cref="LimitArenas()"/> has to run first thing in <c>Main</c>: glibc fixes its limit the first time it needs a
/// new arena while one is set, or once more than eight arenas exist. An operator's own <c>MALLOC_ARENA_MAX</c> or
/// <c>glibc.malloc.arena_max</c> tunable wins (glibc applied it at start). A C library other than glibc (musl) has
/// neither call: both are left out.
/// </remarks>
internal static class NativeHeap
{
    /// <summary>The arena limit (what <c>MALLOC_ARENA_MAX=2</c> sets): arenas that already exist stay.</summary>
    internal const int Arenas = 2;

    /// <summary>glibc's <c>M_ARENA_MAX</c> option of <c>mallopt</c>.</summary>
    private const int ArenaMaxOption = -8;

    /// <summary>Applies the limit to this process unless the environment set one or this is not glibc on Linux.</summary>
    public static NativeHeapLimit LimitArenas() =>
        LimitArenas(Environment.GetEnvironmentVariable, OperatingSystem.IsLinux(), static () => Mallopt(ArenaMaxOption, Arenas));

    /// <summary>The decision, with the environment, the platform and the call given (tests).</summary>
    internal static NativeHeapLimit LimitArenas(Func<string, string?> environment, bool linux, Func<int> mallopt)
    {
        if (!linux)
        {
            return NativeHeapLimit.NotGlibc;
        }

        if (!string.IsNullOrEmpty(environment("MALLOC_ARENA_MAX"))
            || environment("GLIBC_TUNABLES")?.Contains("glibc.malloc.arena_max", StringComparison.Ordinal) == true)
        {
            return NativeHeapLimit.SetByEnvironment;
        }

        try
        {
            // mallopt answers 1 when it took the option.
            return mallopt() == 1 ? NativeHeapLimit.Applied : NativeHeapLimit.NotGlibc;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return NativeHeapLimit.NotGlibc;
        }
    }

    /// <summary>
    /// Gives the pages of every free chunk in every arena back to the system; true when some were released. Only
    /// where <see cref="LimitArenas()"/> found glibc.
    /// </summary>
    public static bool Trim() => MallocTrim(0) == 1;

    // DllImport, not LibraryImport: both signatures are blittable, so nothing is generated either way, and LibraryImport
    // would need unsafe code allowed in the project.
    [DllImport("libc", EntryPoint = "mallopt", ExactSpelling = true)]
    private static extern int Mallopt(int option, int value);

    [DllImport("libc", EntryPoint = "malloc_trim", ExactSpelling = true)]
    private static extern int MallocTrim(nuint pad);
}

/// <summary>What <see cref="NativeHeap.LimitArenas()"/> did.</summary>
internal enum NativeHeapLimit
{
    /// <summary>The process now uses at most <see cref="NativeHeap.Arenas"/> arenas.</summary>
    Applied,

    /// <summary>The environment set the limit; glibc applied it at start.</summary>
    SetByEnvironment,

    /// <summary>Not Linux, or a C library without <c>M_ARENA_MAX</c> (musl): nothing to do.</summary>
    NotGlibc,
}
