using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// Behaves like the host resolver of WebApplicationFactory and dotnet-ef: it takes every host built on the execution
/// context of the "entry point" it is entered on (an AsyncLocal) for the application's host and configures it. The
/// real resolver stops listening once the application's host is built; until it has, another host built on that
/// context is configured as if it were the application's.
/// </summary>
internal sealed class EntryPointHostListener : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly AsyncLocal<EntryPointHostListener?> Current = new();
    private readonly Action<IHostBuilder> _configure;
    private readonly IDisposable _allListeners;
    private readonly List<IDisposable> _subscriptions = [];
    private int _hostsConfigured;

    public EntryPointHostListener(Action<IHostBuilder> configure)
    {
        _configure = configure;
        _allListeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    /// <summary>Hosts built on the entry point's context and configured by this listener.</summary>
    public int HostsConfigured => Volatile.Read(ref _hostsConfigured);

    /// <summary>Marks the current execution context (and what flows from it) as the entry point's.</summary>
    public void EnterEntryPoint() => Current.Value = this;

    public void OnNext(DiagnosticListener value)
    {
        if (Current.Value == this && value.Name == "Microsoft.Extensions.Hosting")
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (Current.Value == this && value.Key == "HostBuilding" && value.Value is IHostBuilder builder)
        {
            Interlocked.Increment(ref _hostsConfigured);
            _configure(builder);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _allListeners.Dispose();
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
